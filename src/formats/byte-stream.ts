/**
 * Sequential reads over a `ByteSource` for the text formats: fixed-size ranged reads pulled on
 * demand, so a consumer that stops early (a row limit) stops the reads too.
 */
import type { ByteSource } from '../connectors/types.js';
import { throwIfAborted as throwIfSignalAborted } from '../results/abort.js';
import { invalidArgument, limitExceeded } from '../results/errors.js';

/** Reads start small (an early stop fetches little) and double up to a size that keeps full scans cheap. */
export const FIRST_CHUNK_BYTES = 64 * 1024;
export const MAX_CHUNK_BYTES = 4 * 1024 * 1024;
/** Formats that need the whole object in memory (JSON arrays, Arrow IPC) refuse above this. */
export const MAX_WHOLE_OBJECT_BYTES = 256 * 1024 * 1024;

/** The shared abort meaning (a timeout is TIMEOUT, anything else CANCELLED), for an optional signal. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal) throwIfSignalAborted(signal);
}

export async function* readChunks(
  source: ByteSource,
  options: { firstChunkBytes?: number; signal?: AbortSignal } = {},
): AsyncGenerator<Uint8Array> {
  let chunkBytes = options.firstChunkBytes ?? FIRST_CHUNK_BYTES;
  for (let start = 0; start < source.size; ) {
    throwIfAborted(options.signal);
    const end = Math.min(source.size, start + chunkBytes);
    yield await source.read(start, end);
    start = end;
    chunkBytes = Math.min(MAX_CHUNK_BYTES, chunkBytes * 2);
  }
}

/** Decodes strictly: invalid UTF-8 is an error, never U+FFFD replacement characters in data. */
export async function* decodeUtf8(chunks: AsyncIterable<Uint8Array>, path: string): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let offset = 0;
  for await (const chunk of chunks) {
    const text = decodeOrThrow(() => decoder.decode(chunk, { stream: true }), path, offset);
    offset += chunk.byteLength;
    if (text) yield text;
  }
  const tail = decodeOrThrow(() => decoder.decode(), path, offset);
  if (tail) yield tail;
}

function decodeOrThrow(decode: () => string, path: string, offset: number): string {
  try {
    return decode();
  } catch {
    throw invalidArgument(
      `"${path}" is not valid UTF-8 text (invalid bytes at or after byte ${offset}).`,
      'Text formats (csv, json, jsonl) must be UTF-8. Re-encode the file as UTF-8, or read it as another format if it is binary.',
      { path, offset },
    );
  }
}

/** The whole object, for formats that cannot be streamed. */
export async function readWhole(source: ByteSource, signal?: AbortSignal): Promise<Uint8Array> {
  if (source.size > MAX_WHOLE_OBJECT_BYTES) {
    throw limitExceeded(
      `"${source.path}" is ${source.size} bytes; this format is read whole and the ceiling is ${MAX_WHOLE_OBJECT_BYTES} bytes.`,
      'Use a streamable format (jsonl, csv, parquet) for large objects, or split the object.',
    );
  }
  throwIfAborted(signal);
  return source.size === 0 ? new Uint8Array(0) : source.read(0, source.size);
}
