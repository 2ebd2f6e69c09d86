import { createReadStream } from 'node:fs';

export interface RawLine {
  /** 1-based line number. */
  number: number;
  bytes: Buffer;
  /** False only for a final line with no newline after it. */
  terminated: boolean;
}

/**
 * Stream a file as newline-separated byte lines. Splits on `\n` only (readline would also
 * split on a bare `\r`, miscounting lines of a tampered file) and says whether the last line
 * was terminated, which is how a torn write is told apart.
 */
export async function* readLines(path: string): AsyncGenerator<RawLine> {
  let pending: Buffer[] = [];
  let number = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 256 * 1024 }) as AsyncIterable<Buffer>) {
    let start = 0;
    let nl = chunk.indexOf(0x0a, start);
    while (nl !== -1) {
      pending.push(chunk.subarray(start, nl));
      yield { number: ++number, bytes: Buffer.concat(pending), terminated: true };
      pending = [];
      start = nl + 1;
      nl = chunk.indexOf(0x0a, start);
    }
    if (start < chunk.length) pending.push(chunk.subarray(start));
  }
  if (pending.length > 0) yield { number: ++number, bytes: Buffer.concat(pending), terminated: false };
}
