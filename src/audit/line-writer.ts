import type { FileHandle } from 'node:fs/promises';

interface Pending {
  bytes: Buffer;
  durable: boolean;
  resolve: () => void;
  reject: (err: Error) => void;
}

/**
 * One writer per file: lines are queued in call order and written in batches, so concurrent
 * appends never interleave and a burst costs one write. Durable lines resolve after fsync
 * (every line waiting at that moment shares it: group commit); the others resolve once the
 * OS has the bytes, and a short timer fsyncs them later. The first failure poisons the writer:
 * the file may now end in a torn line, so nothing more is built on it until a reopen repairs it.
 */
export class LineWriter {
  private queue: Pending[] = [];
  private running: Promise<void> | undefined;
  private dirty = false;
  private syncWanted = false;
  private syncTimer: NodeJS.Timeout | undefined;
  private failure: Error | undefined;

  constructor(
    private readonly fh: FileHandle,
    private readonly opts: { syncEveryLine: boolean; groupCommitMs: number },
  ) {}

  get failed(): Error | undefined {
    return this.failure;
  }

  write(line: string, durable: boolean): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ bytes: Buffer.from(line), durable: durable || this.opts.syncEveryLine, resolve, reject });
      this.kick();
    });
  }

  /** Fsync whatever has been written and not yet synced. */
  async sync(): Promise<void> {
    if (this.failure) throw this.failure;
    this.syncWanted = true;
    this.kick();
    await this.idle();
    if (this.failure) throw this.failure;
  }

  /** Resolves when the queue is drained (successfully or not). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  stop(): void {
    if (this.syncTimer) clearTimeout(this.syncTimer);
    this.syncTimer = undefined;
  }

  private kick(): void {
    this.running ??= this.drain().finally(() => {
      this.running = undefined;
    });
  }

  private async drain(): Promise<void> {
    while (!this.failure && (this.queue.length > 0 || (this.syncWanted && this.dirty))) {
      const batch = this.queue;
      this.queue = [];
      try {
        if (batch.length > 0) await this.writeAll(Buffer.concat(batch.map((p) => p.bytes)));
        if (batch.some((p) => p.durable) || this.syncWanted) await this.syncNow();
        else this.scheduleSync();
      } catch (err) {
        this.failure = err instanceof Error ? err : new Error(String(err));
        for (const p of [...batch, ...this.queue.splice(0)]) p.reject(this.failure);
        this.stop();
        return;
      }
      for (const p of batch) p.resolve();
    }
    // A sync asked for while nothing was dirty is already satisfied.
    if (!this.dirty) this.syncWanted = false;
  }

  private async writeAll(buf: Buffer): Promise<void> {
    this.dirty = true;
    let offset = 0;
    while (offset < buf.length) {
      const { bytesWritten } = await this.fh.write(buf, offset, buf.length - offset);
      offset += bytesWritten;
    }
  }

  private async syncNow(): Promise<void> {
    this.syncWanted = false;
    if (!this.dirty) return;
    this.dirty = false;
    // fdatasync also persists the file size, which is all an append needs.
    await this.fh.datasync();
  }

  private scheduleSync(): void {
    if (this.syncTimer) return;
    this.syncTimer = setTimeout(() => {
      this.syncTimer = undefined;
      if (!this.dirty || this.failure) return;
      this.syncWanted = true;
      this.kick();
    }, this.opts.groupCommitMs);
    this.syncTimer.unref();
  }
}
