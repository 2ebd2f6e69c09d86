/**
 * A table with a small JSON header, as one compressed blob for the cache (DESIGN §6: large
 * values are stored compressed Arrow IPC). Deflate at level 1 runs on libuv's thread pool, so
 * compressing a big probe result does not stall the event loop, and typically shrinks
 * dictionary-coded Arrow 3–10×.
 */
import { promisify } from 'node:util';
import { deflateRaw, inflateRaw } from 'node:zlib';
import type { Table } from 'apache-arrow';

const deflate = promisify(deflateRaw);
const inflate = promisify(inflateRaw);
const MAGIC = 0x44544231; // "DTB1": a blob this code wrote

export async function encodeTableBlob(header: unknown, table: Table): Promise<Uint8Array> {
  const { tableToIPC } = await import('apache-arrow');
  const json = Buffer.from(JSON.stringify(header));
  const prefix = Buffer.alloc(8);
  prefix.writeUInt32BE(MAGIC, 0);
  prefix.writeUInt32BE(json.length, 4);
  const body = await deflate(Buffer.concat([json, tableToIPC(table, 'stream')]), { level: 1 });
  return Buffer.concat([prefix, body]);
}

/**
 * Recently decoded blobs, checked against the exact bytes (a memcmp, far cheaper than inflating
 * and decoding again), so a hot cached entry is decoded once. Tables are immutable here.
 */
const recent: Array<{ bytes: Buffer; decoded: { header: unknown; table: Table } }> = [];
const RECENT_MAX = 16;
/** Only small blobs are remembered: the point is hot small answers, not holding big ones twice. */
const RECENT_MAX_BYTES = 1024 * 1024;

/** Undefined for bytes that are not such a blob (another writer, a corrupted entry). */
export async function decodeTableBlob<H>(value: Uint8Array): Promise<{ header: H; table: Table } | undefined> {
  const bytes = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  const known = recent.find((r) => r.bytes.length === bytes.length && r.bytes.equals(bytes));
  if (known) return known.decoded as { header: H; table: Table };
  const decoded = await decodeFresh<H>(bytes);
  if (decoded && bytes.length <= RECENT_MAX_BYTES) {
    if (recent.length >= RECENT_MAX) recent.shift();
    recent.push({ bytes: Buffer.from(bytes), decoded });
  }
  return decoded;
}

async function decodeFresh<H>(bytes: Buffer): Promise<{ header: H; table: Table } | undefined> {
  if (bytes.length < 8 || bytes.readUInt32BE(0) !== MAGIC) return undefined;
  const headerLength = bytes.readUInt32BE(4);
  try {
    const body = await inflate(bytes.subarray(8));
    const { tableFromIPC } = await import('apache-arrow');
    const header = JSON.parse(body.subarray(0, headerLength).toString('utf8')) as H;
    return { header, table: tableFromIPC(body.subarray(headerLength)) };
  } catch {
    return undefined;
  }
}
