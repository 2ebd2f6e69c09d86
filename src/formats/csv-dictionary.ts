/**
 * Dictionary<Utf8, Int32> from CSV byte ranges: each cell's bytes are hashed and looked up in
 * an open-addressing table of the distinct values seen so far, so no JS string is made per cell
 * (nor per distinct value: the dictionary's UTF-8 bytes are copied from the input as they are,
 * which the tokenizer has already validated). Codes follow first appearance, as `dictionaryUtf8`.
 */
import * as arrow from 'apache-arrow';
import type { CsvCells } from './csv-records.js';
import { newBitmap, setBit } from './raw.js';

/** Longest value copied byte by byte rather than through a subarray view (one object per value). */
const SHORT_VALUE = 64;

/**
 * The slot table and the distinct values' ranges and hashes, sized for a whole batch up front
 * (no rehash). Those of batches up to `KEEP_ROWS` rows are kept and reused by every column and
 * batch — a build is synchronous, so nothing else uses them meanwhile — so only the column's
 * own buffers are allocated per batch; larger ones are not kept alive after their batch.
 */
interface Scratch {
  mask: number;
  slots: Int32Array;
  starts: Int32Array;
  ends: Int32Array;
  hashes: Int32Array;
}

const KEEP_ROWS = 1 << 16;
let kept: Scratch | undefined;

function scratchFor(rows: number): Scratch {
  let size = 16;
  while (size < rows * 2) size *= 2;
  if (rows > KEEP_ROWS) return { mask: size - 1, slots: new Int32Array(size), starts: new Int32Array(rows), ends: new Int32Array(rows), hashes: new Int32Array(rows) };
  if (!kept || kept.starts.length < rows) {
    const room = Math.max(rows, 1024);
    kept = { mask: 0, slots: new Int32Array(Math.max(size, 2048)), starts: new Int32Array(room), ends: new Int32Array(room), hashes: new Int32Array(room) };
  } else kept.slots.fill(0, 0, size);
  kept.mask = size - 1;
  return kept;
}

export function dictionaryFromRanges(cells: CsvCells, col: number): arrow.Data {
  const { bytes, starts, ends, rows, width } = cells;
  const codes = new Int32Array(rows);
  const validity = newBitmap(rows);
  const scratch = scratchFor(rows);
  const { mask, slots: table, starts: dStarts, ends: dEnds, hashes: dHashes } = scratch;
  let count = 0;
  let nulls = 0;
  for (let r = 0, k = col; r < rows; r++, k += width) {
    const start = starts[k]!;
    const end = ends[k]!;
    if (start === end) {
      nulls++;
      continue;
    }
    const h = hashBytes(bytes, start, end);
    let slot = h & mask;
    let code = -1;
    for (let taken = table[slot]!; taken !== 0; slot = (slot + 1) & mask, taken = table[slot]!) {
      const c = taken - 1;
      if (dHashes[c] === h && sameBytes(bytes, dStarts[c]!, dEnds[c]!, start, end)) {
        code = c;
        break;
      }
    }
    if (code < 0) {
      code = count++;
      dStarts[code] = start;
      dEnds[code] = end;
      dHashes[code] = h;
      table[slot] = code + 1;
    }
    codes[r] = code;
    setBit(validity, r);
  }
  return arrow.makeData({
    type: new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32()),
    length: rows,
    nullCount: nulls,
    nullBitmap: nulls ? validity : null,
    data: codes,
    dictionary: utf8FromRanges(bytes, scratch, count),
  });
}

/**
 * Seeded per process: the codes do not depend on it (they follow first appearance), and no file
 * can be crafted in advance whose values all collide, making every lookup walk the whole table.
 */
const SEED = (Math.random() * 2 ** 32) >>> 0;

/** MurmurHash3 (x86, 32-bit) over the range: four bytes per multiply, and every byte reaches the low bits that pick the slot. */
function hashBytes(bytes: Uint8Array, start: number, end: number): number {
  let h = SEED ^ (end - start);
  let i = start;
  for (; i + 4 <= end; i += 4) {
    let k = bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24);
    k = Math.imul(k, 0xcc9e2d51);
    k = Math.imul((k << 15) | (k >>> 17), 0x1b873593);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  if (i < end) {
    let k = 0;
    for (let shift = 0; i < end; i++, shift += 8) k |= bytes[i]! << shift;
    k = Math.imul(k, 0xcc9e2d51);
    h ^= Math.imul((k << 15) | (k >>> 17), 0x1b873593);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

function sameBytes(bytes: Uint8Array, a: number, aEnd: number, b: number, bEnd: number): boolean {
  if (aEnd - a !== bEnd - b) return false;
  for (; a < aEnd; a++, b++) if (bytes[a] !== bytes[b]) return false;
  return true;
}

/** A plain Utf8 vector of the first `count` distinct ranges, in code order. */
function utf8FromRanges(bytes: Uint8Array, distinct: Scratch, count: number): arrow.Vector<arrow.Utf8> {
  const { starts, ends } = distinct;
  const offsets = new Int32Array(count + 1);
  for (let code = 0; code < count; code++) offsets[code + 1] = offsets[code]! + ends[code]! - starts[code]!;
  const data = new Uint8Array(offsets[count]!);
  for (let code = 0; code < count; code++) {
    const start = starts[code]!;
    const end = ends[code]!;
    if (end - start > SHORT_VALUE) data.set(bytes.subarray(start, end), offsets[code]);
    else for (let i = start, o = offsets[code]!; i < end; i++, o++) data[o] = bytes[i]!;
  }
  return arrow.makeVector(arrow.makeData({ type: new arrow.Utf8(), length: count, nullCount: 0, valueOffsets: offsets, data }));
}
