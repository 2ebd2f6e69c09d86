import { constants, promises as fs } from 'node:fs';
import { DataMcpError } from '../../results/errors.js';
import type { ByteSource } from '../types.js';
import { checkRange, throwIfAborted } from '../abort.js';
import { etagOf } from './entries.js';
import { fsError } from './errors.js';

/**
 * Random access to one file. Each read opens, reads and closes its own handle, so nothing
 * leaks when a caller abandons the source. O_NOFOLLOW refuses a file swapped for a link after
 * the path was checked; the etag check refuses a file rewritten between reads (a Parquet
 * footer and its column chunks must come from the same version).
 */
export class LocalByteSource implements ByteSource {
  constructor(
    readonly path: string,
    readonly size: number,
    readonly etag: string,
    private readonly real: string,
    private readonly connector: string,
    private readonly signal: AbortSignal,
  ) {}

  async read(start: number, end: number): Promise<Uint8Array> {
    throwIfAborted(this.signal);
    const range = checkRange(start, end, this.size);
    const wanted = range.end - range.start;
    let handle: fs.FileHandle;
    try {
      handle = await fs.open(this.real, constants.O_RDONLY | constants.O_NOFOLLOW);
    } catch (error) {
      throw fsError(error, this.connector, this.path);
    }
    try {
      if (etagOf(await handle.stat()) !== this.etag) throw changedError(this.path);
      const buffer = new Uint8Array(wanted);
      let filled = 0;
      while (filled < wanted) {
        throwIfAborted(this.signal);
        const { bytesRead } = await handle.read(buffer, filled, wanted - filled, range.start + filled);
        if (bytesRead === 0) throw changedError(this.path);
        filled += bytesRead;
      }
      return buffer;
    } catch (error) {
      throw fsError(error, this.connector, this.path);
    } finally {
      await handle.close();
    }
  }
}

function changedError(path: string): DataMcpError {
  return new DataMcpError('UPSTREAM_ERROR', `"${path}" changed while it was being read`, 'Read it again to get the current version.');
}
