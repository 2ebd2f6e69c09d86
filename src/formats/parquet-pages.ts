/**
 * Walks the pages of one flat column chunk (DESIGN §10: raw buffers, no per-row objects):
 * decompresses the pages a selection needs, decodes definition levels into a 0/1 array and
 * hands each page's value bytes to a visitor. Pages with no selected row are skipped without
 * being decompressed. Anything unusual (BIT_PACKED levels, an unknown codec) returns false so
 * the caller can leave the column to hyparquet.
 */
import type { CompressionCodec } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { decodeHybrid } from './parquet-hybrid.js';
import { Encoding, PageType, readPageHeader, type PageHeader } from './parquet-thrift.js';

export interface DataPageView {
  /** First row of the page, relative to the row group. */
  rowStart: number;
  rows: number;
  /** One byte per row, 1 where a value is present; undefined when every row has one. */
  defined: Uint8Array | undefined;
  /** Rows with a value (the count of value slots in `values`). */
  present: number;
  encoding: number;
  /** The decompressed value section (after the levels). */
  values: Uint8Array;
}

export interface PageVisitor {
  /** The dictionary page's PLAIN values; false when the visitor cannot use them. */
  dictionary(values: Uint8Array, count: number): boolean;
  /** False when the visitor cannot decode this page's encoding. */
  data(page: DataPageView): boolean;
}

/**
 * Visits every data page of `chunk` that `wanted(rowStart, rows)` accepts, in row order.
 * `optional`: the column's maximum definition level is 1 (else 0: no levels at all).
 */
export function walkPages(chunk: Uint8Array, codec: CompressionCodec, optional: boolean, groupRows: number, wanted: (rowStart: number, rows: number) => boolean, visitor: PageVisitor): boolean {
  let offset = 0;
  let row = 0;
  while (row < groupRows) {
    if (offset >= chunk.length) throw new RangeError(`parquet column chunk ends after ${row} of ${groupRows} rows`);
    const { header, dataStart } = readPageHeader(chunk, offset);
    const end = dataStart + header.compressedSize;
    if (end > chunk.length) throw new RangeError('parquet page runs past its column chunk');
    offset = end;
    const body = chunk.subarray(dataStart, end);
    if (header.type === PageType.dictionary) {
      if (header.encoding !== Encoding.plain && header.encoding !== Encoding.plainDictionary) return false;
      const page = decompress(body, header.uncompressedSize, codec);
      if (!page || !visitor.dictionary(page, header.numValues)) return false;
    } else if (header.type === PageType.data || header.type === PageType.dataV2) {
      const rows = header.numValues;
      if (rows > groupRows - row) throw new RangeError('parquet column chunk has more values than its row group has rows');
      if (rows > 0 && wanted(row, rows)) {
        const page = header.type === PageType.data ? pageV1(body, header, codec, optional) : pageV2(body, header, codec, optional);
        if (!page) return false;
        if (!visitor.data({ rowStart: row, rows, ...page })) return false;
      }
      row += rows;
    }
    // Index pages (and any future page type) carry no rows.
  }
  return true;
}

type PageParts = Omit<DataPageView, 'rowStart' | 'rows'>;

function pageV1(body: Uint8Array, header: PageHeader, codec: CompressionCodec, optional: boolean): PageParts | undefined {
  const page = decompress(body, header.uncompressedSize, codec);
  if (!page) return undefined;
  if (!optional) return { defined: undefined, present: header.numValues, encoding: header.encoding, values: page };
  if (header.definitionEncoding !== Encoding.rle) return undefined;
  if (page.length < 4) throw new RangeError('parquet data page is too short for its levels');
  const length = new DataView(page.buffer, page.byteOffset, 4).getUint32(0, true);
  if (4 + length > page.length) throw new RangeError('parquet definition levels run past the page');
  const levels = definedOf(page, 4, 4 + length, header.numValues);
  if (!levels) return undefined;
  return { ...levels, encoding: header.encoding, values: page.subarray(4 + length) };
}

function pageV2(body: Uint8Array, header: PageHeader, codec: CompressionCodec, optional: boolean): PageParts | undefined {
  if (header.repetitionBytes !== 0) return undefined;
  const levelBytes = header.definitionBytes;
  if (levelBytes > body.length) throw new RangeError('parquet definition levels run past the page');
  const valueBytes = header.uncompressedSize - levelBytes;
  const values = header.valuesCompressed ? decompress(body.subarray(levelBytes), valueBytes, codec) : body.subarray(levelBytes);
  if (!values) return undefined;
  if (!optional || levelBytes === 0) {
    if (optional && header.numNulls > 0) throw new RangeError('parquet data page has nulls but no definition levels');
    return { defined: undefined, present: header.numValues, encoding: header.encoding, values };
  }
  const levels = definedOf(body, 0, levelBytes, header.numValues);
  return levels ? { ...levels, encoding: header.encoding, values } : undefined;
}

function definedOf(bytes: Uint8Array, start: number, end: number, rows: number): { defined: Uint8Array | undefined; present: number } | undefined {
  // Common case first: a column without nulls in this page is one RLE run of 1s — no per-row array.
  if (allDefined(bytes, start, end, rows)) return { defined: undefined, present: rows };
  const defined = new Uint8Array(rows);
  if (!decodeHybrid(bytes, start, end, 1, defined, rows)) return undefined;
  let present = 0;
  for (let i = 0; i < rows; i++) present += defined[i]!;
  return { defined: present === rows ? undefined : defined, present };
}

/** True when the level data is RLE runs of 1 covering `rows` (bit width 1: one value byte per run). */
function allDefined(bytes: Uint8Array, start: number, end: number, rows: number): boolean {
  let pos = start;
  let covered = 0;
  while (covered < rows) {
    let header = 0;
    let shift = 0;
    for (;;) {
      if (pos >= end || shift > 35) return false;
      const b = bytes[pos++]!;
      header += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) break;
      shift += 7;
    }
    if (header % 2 === 1 || pos >= end || (bytes[pos]! & 1) !== 1) return false;
    pos++;
    covered += header / 2;
  }
  return true;
}

function decompress(bytes: Uint8Array, size: number, codec: CompressionCodec): Uint8Array | undefined {
  if (codec === 'UNCOMPRESSED') {
    if (bytes.length !== size) throw new RangeError('parquet page size does not match its header');
    return bytes;
  }
  const decompressor = compressors[codec];
  if (!decompressor) return undefined;
  const out = decompressor(bytes, size);
  if (out.length !== size) throw new RangeError(`parquet decompressed page length ${out.length} does not match header ${size}`);
  return out;
}
