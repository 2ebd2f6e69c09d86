import { open, stat, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Logger } from '../logging/logger.js';
import { auditUnavailable } from './audit-errors.js';
import { GENESIS_HASH } from './chain.js';
import { loadCheckpointSigner, type CheckpointSigner } from './checkpoint-key.js';
import { sealFileHeader } from './file-header.js';
import { readHeadSidecar, sidecarFor, syncDir, writeHeadSidecar, type HeadSidecar } from './head-sidecar.js';
import { listRotatedFiles, type LogFile } from './log-files.js';
import { readLogTail } from './log-tail.js';
import { discardUnfinishedNext, installActiveFile } from './rotation.js';
import { sealTornTail, wholeTornRecord, type ChainPosition } from './resume.js';
import { SegmentSink } from './segment-sink.js';

export interface ResumedLog {
  sink: SegmentSink;
  signer: CheckpointSigner;
  position: ChainPosition;
  /** Size of the active file, including anything resume wrote. */
  fileBytes: number;
  /** Index the active file gets when it is rotated. */
  nextIndex: number;
}

export interface ResumeOptions {
  checkpointKeyFile?: string | undefined;
  fsync: 'strict' | 'always';
  groupCommitMs: number;
  logger?: Logger | undefined;
}

/**
 * Open the active file of a (possibly rotated) log where the chain left off, repairing what a
 * crash can leave: a stale `<log>.next`, a missing active file after an interrupted rotation,
 * a torn final line. The caller holds the log lock.
 */
export async function resumeLog(path: string, opts: ResumeOptions): Promise<ResumedLog> {
  const signer = await loadCheckpointSigner({ logPath: path, keyFile: opts.checkpointKeyFile, logger: opts.logger });
  const sidecar = await readHeadSidecar(path).catch(() => {
    throw auditUnavailable(`the head sidecar of ${path} is unreadable`);
  });
  if (await discardUnfinishedNext(path)) opts.logger?.warn({ path }, 'audit: discarded a half-prepared next file left by an interrupted rotation');
  const rotated = await listRotatedFiles(path);
  const lastRotated = rotated.at(-1);
  if (lastRotated) await resumeActiveFile(path, lastRotated, sidecar, signer, opts.logger);

  let fh: FileHandle;
  try {
    fh = await open(path, 'a+', 0o600);
  } catch (err) {
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
    // After a rotation the active file is only ever put in place whole, header first.
    if (lastRotated && !tail.last) throw auditUnavailable(`${path} has no whole record, but rotated files exist: run \`data-mcp audit verify\``);
    const whole = tail.torn ? wholeTornRecord(tail.last, tail.torn) : undefined;
    const last = whole ?? tail.last;
    let position: ChainPosition = last ? { seq: last.seq, hash: last.hash, unsealed: 0 } : { seq: 0, hash: GENESIS_HASH, unsealed: 0 };
    if (sidecar && sidecar.seq > position.seq) {
      throw auditUnavailable(`${path} ends at seq ${position.seq} but its last checkpoint was seq ${sidecar.seq}: the log was truncated`);
    }
    if (last && last.type !== 'checkpoint') position.unsealed = Math.max(1, last.seq - (sidecar?.seq ?? 0));
    const sink = new SegmentSink(fh, { syncEveryLine: opts.fsync === 'always', groupCommitMs: opts.groupCommitMs });
    let fileBytes = st.size;
    if (whole) {
      await sink.write('\n', true);
      fileBytes += 1;
    } else if (tail.torn) {
      const before = position;
      position = await sealTornTail(sink, position, tail.torn);
      fileBytes = (await fh.stat()).size;
      opts.logger?.warn({ path, seq: before.seq + 1, tornBytes: tail.torn.length }, 'audit log ended in a torn line (interrupted write); sealed it and resumed');
    }
    return { sink, signer, position, fileBytes, nextIndex: (lastRotated?.index ?? 0) + 1 };
  } catch (err) {
    await fh.close().catch(() => undefined);
    throw err;
  }
}

/**
 * Rotated files exist but the active file does not (or is empty): a rotation stopped between
 * renaming the old file and putting the new one in place. Recreate the new file's header from
 * the last rotated file, unless the sidecar shows that file is not where the chain ended.
 */
async function resumeActiveFile(path: string, last: LogFile, sidecar: HeadSidecar | undefined, signer: CheckpointSigner, logger?: Logger): Promise<void> {
  const st = await stat(path).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw auditUnavailable(`cannot stat ${path}`, err);
  });
  if (st && st.size > 0) return;
  const fh = await open(last.path, 'r').catch((err: unknown) => {
    throw auditUnavailable(`cannot open ${last.path}`, err);
  });
  let tail;
  try {
    tail = await readLogTail(fh, (await fh.stat()).size).catch(() => ({ last: undefined, torn: undefined }));
  } finally {
    await fh.close();
  }
  if (!tail.last || tail.torn || tail.last.type !== 'checkpoint') {
    throw auditUnavailable(`the rotated file ${last.path} does not end with its closing checkpoint: run \`data-mcp audit verify\``);
  }
  if (sidecar && sidecar.seq > tail.last.seq) {
    throw auditUnavailable(`${path} is missing and the last checkpoint was seq ${sidecar.seq}, after ${last.name} ends (seq ${tail.last.seq}): the active file was deleted`);
  }
  const header = sealFileHeader(tail.last, last.name, signer);
  await installActiveFile(path, header.text).catch((err: unknown) => {
    throw auditUnavailable(`cannot create ${path}`, err);
  });
  await writeHeadSidecar(path, sidecarFor(header.checkpoint)).catch((err: unknown) => {
    throw auditUnavailable(`cannot write the head sidecar of ${path}`, err);
  });
  logger?.warn({ path, continues: last.name, seq: header.checkpoint.seq }, 'audit: a rotation was interrupted before the new active file was in place; created it');
}
