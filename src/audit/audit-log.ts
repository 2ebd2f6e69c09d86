import { randomUUID } from 'node:crypto';
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Logger } from '../logging/logger.js';
import { isDataMcpError } from '../results/errors.js';
import { scrubValue } from '../results/scrub.js';
import { auditUnavailable } from './audit-errors.js';
import { GENESIS_HASH, sealLine } from './chain.js';
import { loadCheckpointSigner, type CheckpointSigner } from './checkpoint-key.js';
import { readHeadSidecar, sidecarFor, syncDir, writeHeadSidecar } from './head-sidecar.js';
import { LineWriter } from './line-writer.js';
import { acquireLogLock } from './log-lock.js';
import { readLogTail } from './log-tail.js';
import { checkpointPayload, type CallEntry, type CallRecord, type CheckpointRecord } from './record.js';
import { redactArguments } from './redact.js';
import { sealTornTail, wholeTornRecord, type ChainPosition } from './resume.js';

export interface AuditLogOptions {
  path: string;
  checkpointKeyFile?: string;
  checkpointEvery: number;
  checkpointSeconds: number;
  fsync: 'strict' | 'always';
  logger?: Logger;
  /** How long a non-durable record may wait for its fsync (group commit). Default 50 ms. */
  groupCommitMs?: number;
}

const RECENT_LIMIT = 500;

/**
 * The append-only, hash-chained audit log (DESIGN §7). Records are sealed synchronously in
 * call order, so seqs are contiguous and the chain is the file order; one LineWriter owns the
 * file. Signed checkpoints seal the head every N records / T seconds and on close.
 */
export class AuditLog {
  private readonly recentCalls: CallRecord[] = [];
  private sidecarWrites: Promise<void> = Promise.resolve();
  private readonly checkpointTimer: NodeJS.Timeout;
  private closed = false;

  private constructor(
    private readonly path: string,
    private readonly fh: FileHandle,
    private readonly writer: LineWriter,
    private readonly signer: CheckpointSigner,
    private position: ChainPosition,
    private readonly unlock: () => Promise<void>,
    private readonly opts: AuditLogOptions,
  ) {
    this.checkpointTimer = setInterval(() => void this.checkpoint(), opts.checkpointSeconds * 1000);
    this.checkpointTimer.unref();
  }

  static async open(opts: AuditLogOptions): Promise<AuditLog> {
    const path = resolve(opts.path);
    await mkdir(dirname(path), { recursive: true, mode: 0o700 }).catch((err: unknown) => {
      throw auditUnavailable(`cannot create the directory of ${path}`, err);
    });
    const unlock = await acquireLogLock(path);
    let fh: FileHandle;
    try {
      fh = await open(path, 'a+', 0o600);
    } catch (err) {
      await unlock();
      throw auditUnavailable(`cannot open ${path}`, err);
    }
    try {
      const st = await fh.stat();
      if (!st.isFile()) throw auditUnavailable(`${path} is not a regular file`);
      if (st.mode & 0o077) await fh.chmod(0o600);
      if (st.size === 0) await syncDir(dirname(path));
      const tail = await readLogTail(fh, st.size).catch((err: unknown) => {
        throw auditUnavailable(`cannot resume ${path}: ${err instanceof Error ? err.message : 'unreadable'}`);
      });
      const whole = tail.torn ? wholeTornRecord(tail.last, tail.torn) : undefined;
      const last = whole ?? tail.last;
      let position: ChainPosition = last ? { seq: last.seq, hash: last.hash, unsealed: 0 } : { seq: 0, hash: GENESIS_HASH, unsealed: 0 };
      const sidecar = await readHeadSidecar(path).catch(() => {
        throw auditUnavailable(`the head sidecar of ${path} is unreadable`);
      });
      if (sidecar && sidecar.seq > position.seq) {
        throw auditUnavailable(`${path} ends at seq ${position.seq} but its last checkpoint was seq ${sidecar.seq}: the log was truncated`);
      }
      if (last && last.type !== 'checkpoint') position.unsealed = Math.max(1, last.seq - (sidecar?.seq ?? 0));
      const signer = await loadCheckpointSigner({ logPath: path, keyFile: opts.checkpointKeyFile, logger: opts.logger });
      const writer = new LineWriter(fh, { syncEveryLine: opts.fsync === 'always', groupCommitMs: opts.groupCommitMs ?? 50 });
      if (whole) {
        await writer.write('\n', true);
      } else if (tail.torn) {
        position = await sealTornTail(writer, position, tail.torn);
        opts.logger?.warn({ path, seq: position.seq, tornBytes: tail.torn.length }, 'audit log ended in a torn line (interrupted write); sealed it and resumed');
      }
      return new AuditLog(path, fh, writer, signer, position, unlock, opts);
    } catch (err) {
      await fh.close().catch(() => undefined);
      await unlock();
      throw isDataMcpError(err) ? err : auditUnavailable(`cannot open ${path}`, err);
    }
  }

  /**
   * Seal and write one call record. `durable` (write-class calls, denials): resolves after
   * fsync. Otherwise resolves once the OS has the line; fsync follows shortly (group commit).
   * Rejects with UNAVAILABLE when the record cannot be written: the caller must fail the call.
   */
  append(entry: CallEntry, opts: { durable: boolean }): Promise<CallRecord> {
    if (this.closed) return Promise.reject(auditUnavailable('the audit log is closed'));
    if (this.writer.failed) return Promise.reject(auditUnavailable('an earlier write failed', this.writer.failed));
    const { principal, client, tool, requests, decision, outcome, durationMs } = entry;
    // Copy field by field: nothing the caller adds rides along, and later mutation cannot reach the record.
    const body = scrubValue({ type: 'call' as const, seq: this.position.seq + 1, ts: new Date().toISOString(), eventId: entry.eventId ?? randomUUID(), principal, client, tool, requests, decision, outcome, durationMs });
    const { record, line } = sealLine({ ...body, arguments: redactArguments(entry.arguments) }, this.position.hash);
    const written = this.writeRecord(record, line, opts.durable).then(
      () => {
        this.remember(record);
        return record;
      },
      (err: unknown) => {
        throw auditUnavailable('cannot write the audit record', err);
      },
    );
    this.position.unsealed += 1;
    if (this.position.unsealed >= this.opts.checkpointEvery) void this.checkpoint();
    return written;
  }

  /** The last `n` call records written by this process, oldest first. */
  recent(n: number): CallRecord[] {
    return n <= 0 ? [] : this.recentCalls.slice(-n);
  }

  /** Seq and hash of the newest record (sealed, possibly not yet written). */
  head(): { seq: number; hash: string } {
    return { seq: this.position.seq, hash: this.position.hash };
  }

  /** Flush, seal with a final checkpoint, fsync and close. Safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.checkpointTimer);
    const finalCheckpoint = this.checkpoint();
    try {
      await this.writer.sync();
      await finalCheckpoint;
      await this.sidecarWrites;
    } catch (err) {
      throw auditUnavailable('cannot flush the audit log on close', err);
    } finally {
      this.writer.stop();
      await this.fh.close().catch(() => undefined);
      await this.unlock();
    }
  }

  /** Seal the current head with a signed checkpoint; a no-op when nothing is unsealed. */
  private checkpoint(): Promise<void> {
    if (this.position.unsealed === 0 || this.writer.failed) return Promise.resolve();
    const ts = new Date().toISOString();
    const payload = checkpointPayload({ coversSeq: this.position.seq, headHash: this.position.hash, ts, keyId: this.signer.keyId });
    const { record, line } = sealLine({ type: 'checkpoint' as const, seq: this.position.seq + 1, ...payload, signature: this.signer.sign(payload) }, this.position.hash);
    this.position.unsealed = 0;
    return this.writeRecord(record, line, true).then(
      () => {
        // Serialized so an older sidecar can never overwrite a newer one.
        this.sidecarWrites = this.sidecarWrites
          .then(() => writeHeadSidecar(this.path, sidecarFor(record)))
          .catch((err: unknown) => this.logFailure('audit head sidecar write failed', err, record.seq));
        return this.sidecarWrites;
      },
      // The failure poisons the writer, so the next append reports it to its caller.
      (err: unknown) => this.logFailure('audit checkpoint write failed', err, record.seq),
    );
  }

  private logFailure(message: string, err: unknown, seq: number): void {
    this.opts.logger?.error({ err: err instanceof Error ? err.message : String(err), seq }, message);
  }

  /** Advance the in-memory head synchronously (file order = seal order), then queue the line. */
  private writeRecord(record: CallRecord | CheckpointRecord, line: string, durable: boolean): Promise<void> {
    this.position.seq = record.seq;
    this.position.hash = record.hash;
    return this.writer.write(`${line}\n`, durable);
  }

  private remember(record: CallRecord): void {
    this.recentCalls.push(record);
    if (this.recentCalls.length > RECENT_LIMIT) this.recentCalls.splice(0, this.recentCalls.length - RECENT_LIMIT);
  }
}
