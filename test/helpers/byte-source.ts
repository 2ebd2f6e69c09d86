/**
 * ByteSources for format tests: in memory (from a Buffer or string) and file-backed (for
 * examples/data), both counting the bytes and calls they serve, so tests can prove early stops.
 */
import { open, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { ByteSource } from '../../src/connectors/types.js';

export const DEMO_DATA_DIR = fileURLToPath(new URL('../../examples/data/', import.meta.url));

export interface CountingByteSource extends ByteSource {
  bytesRead: number;
  reads: number;
}

export function memorySource(content: Uint8Array | string, path = 'memory.bin'): CountingByteSource {
  const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
  const source: CountingByteSource = {
    path,
    size: bytes.byteLength,
    bytesRead: 0,
    reads: 0,
    read(start: number, end: number): Promise<Uint8Array> {
      if (start < 0 || end > bytes.byteLength || start > end) return Promise.reject(new RangeError(`bad range ${start}-${end}`));
      source.reads++;
      source.bytesRead += end - start;
      // A copy, as a network read would give: callers must not rely on shared memory.
      return Promise.resolve(bytes.slice(start, end));
    },
  };
  return source;
}

export async function fileSource(path: string): Promise<CountingByteSource> {
  const { size } = await stat(path);
  const source: CountingByteSource = {
    path,
    size,
    bytesRead: 0,
    reads: 0,
    async read(start: number, end: number): Promise<Uint8Array> {
      if (start < 0 || end > size || start > end) throw new RangeError(`bad range ${start}-${end}`);
      const handle = await open(path, 'r');
      try {
        const buffer = new Uint8Array(end - start);
        const { bytesRead } = await handle.read(buffer, 0, end - start, start);
        source.reads++;
        source.bytesRead += bytesRead;
        return buffer.subarray(0, bytesRead);
      } finally {
        await handle.close();
      }
    },
  };
  return source;
}

export const demoSource = (relative: string): Promise<CountingByteSource> => fileSource(`${DEMO_DATA_DIR}${relative}`);
