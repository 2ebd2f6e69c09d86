import type { writeSync as WriteSync } from 'node:fs';

/**
 * What the process writes to stderr (fd 2), for tests that must inspect the server's logs. The
 * logger writes with `fs.writeSync(2, …)` (synchronous, scrubbed), so a test mocks `node:fs`
 * with `capture(real.writeSync)`: fd-2 writes land here, everything else passes through.
 */
const chunks: string[] = [];

export const stderrCapture = {
  text: (): string => chunks.join(''),
  clear: (): void => {
    chunks.length = 0;
  },
};

/**
 * Also takes over `process.stderr.write` (Node warnings, anything a dependency prints) until the
 * returned function restores it: that is the same stream, and a test must not print.
 */
export function captureProcessStderr(): () => void {
  const original = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string | Uint8Array): boolean => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  }) as typeof process.stderr.write;
  return () => {
    process.stderr.write = original;
  };
}

export function capture(real: typeof WriteSync): typeof WriteSync {
  return ((fd: number, data: string | NodeJS.ArrayBufferView, ...rest: unknown[]): number => {
    if (fd !== 2) return (real as (...args: unknown[]) => number)(fd, data, ...rest);
    const text = typeof data === 'string' ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8');
    chunks.push(text);
    return Buffer.byteLength(text);
  }) as typeof WriteSync;
}
