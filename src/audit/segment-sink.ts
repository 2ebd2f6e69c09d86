import type { FileHandle } from 'node:fs/promises';
import { LineWriter } from './line-writer.js';

type Held =
  | { kind: 'line'; line: string; durable: boolean; resolve: () => void; reject: (err: Error) => void }
  | { kind: 'switch'; run: SwitchStep; done: Deferred };

/** Finishes the old file (its writer is idle and synced by then) and opens the next one. */
export type SwitchStep = () => Promise<FileHandle>;

interface Deferred {
  promise: Promise<void>;
  resolve: () => void;
  reject: (err: Error) => void;
}

function deferred(): Deferred {
  let resolve!: () => void;
  let reject!: (err: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/**
 * The active file's writer, which can move to a new file (rotation) without reordering lines:
 * while a switch runs, lines are held in call order and handed to the new file's writer in
 * one synchronous pass once it is open. A failed switch poisons the sink (fail closed): the
 * next start repairs the file set.
 */
export class SegmentSink {
  private writer: LineWriter;
  private held: Held[] = [];
  private switching: Promise<void> | undefined;
  private failure: Error | undefined;

  constructor(
    private fh: FileHandle,
    private readonly writerOpts: { syncEveryLine: boolean; groupCommitMs: number },
  ) {
    this.writer = new LineWriter(fh, writerOpts);
  }

  get failed(): Error | undefined {
    return this.failure ?? this.writer.failed;
  }

  write(line: string, durable: boolean): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (!this.switching) return this.writer.write(line, durable);
    return new Promise((resolve, reject) => this.held.push({ kind: 'line', line, durable, resolve, reject }));
  }

  /** Queue a move to a new file after every line written so far; resolves when it is done. */
  switchFile(run: SwitchStep): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    const done = deferred();
    if (this.switching) this.held.push({ kind: 'switch', run, done });
    else this.start(run, done);
    return done.promise;
  }

  /** Fsync everything written so far, across pending switches. */
  async sync(): Promise<void> {
    while (this.switching) await this.switching.catch(() => undefined);
    if (this.failure) throw this.failure;
    await this.writer.sync();
  }

  async close(): Promise<void> {
    while (this.switching) await this.switching.catch(() => undefined);
    this.writer.stop();
    await this.fh.close().catch(() => undefined);
  }

  private start(run: SwitchStep, done: Deferred): void {
    const old = { fh: this.fh, writer: this.writer };
    this.switching = (async () => {
      await old.writer.sync();
      return run();
    })().then(
      (fh) => {
        old.writer.stop();
        void old.fh.close().catch(() => undefined);
        this.fh = fh;
        this.writer = new LineWriter(fh, this.writerOpts);
        this.switching = undefined;
        done.resolve();
        this.release();
      },
      (err: unknown) => {
        this.failure = err instanceof Error ? err : new Error(String(err));
        this.switching = undefined;
        done.reject(this.failure);
        for (const h of this.held.splice(0)) (h.kind === 'line' ? h : h.done).reject(this.failure);
      },
    );
  }

  /** Hand held lines to the current writer in order, up to the next queued switch. */
  private release(): void {
    while (this.held.length > 0) {
      const h = this.held.shift() as Held;
      if (h.kind === 'switch') {
        this.start(h.run, h.done);
        return;
      }
      this.writer.write(h.line, h.durable).then(h.resolve, h.reject);
    }
  }
}
