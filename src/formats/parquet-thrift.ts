/**
 * Parquet page headers (Thrift compact protocol), for the flat-column decoder in
 * parquet-flat.ts. hyparquet parses them too but does not export its parser; only the fields
 * that decoder needs are kept, everything else (statistics, CRC, index pages) is skipped.
 */

export const PageType = { data: 0, index: 1, dictionary: 2, dataV2: 3 } as const;
export const Encoding = { plain: 0, plainDictionary: 2, rle: 3, bitPacked: 4, rleDictionary: 8 } as const;

export interface PageHeader {
  type: number;
  uncompressedSize: number;
  compressedSize: number;
  /** Values in the page (data and dictionary pages): for a flat column, one per row. */
  numValues: number;
  encoding: number;
  /** Data page v1: how the definition levels are encoded. */
  definitionEncoding: number;
  /** Data page v2: byte lengths of the (never compressed) level sections, and whether the values are compressed. */
  definitionBytes: number;
  repetitionBytes: number;
  valuesCompressed: boolean;
  numNulls: number;
}

const STOP = 0;
const TRUE = 1;
const FALSE = 2;
const BYTE = 3;
const I16 = 4;
const I32 = 5;
const I64 = 6;
const DOUBLE = 7;
const BINARY = 8;
const LIST = 9;
const SET = 10;
const MAP = 11;
const STRUCT = 12;

/** A cursor over header bytes; every read checks bounds, so a corrupt header throws instead of reading past the page. */
class Reader {
  constructor(
    readonly bytes: Uint8Array,
    public offset: number,
  ) {}

  byte(): number {
    if (this.offset >= this.bytes.length) throw new RangeError('parquet page header runs past the column chunk');
    return this.bytes[this.offset++]!;
  }

  varint(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = this.byte();
      // Past 2^53 nothing here is meaningful (sizes and counts are i32): keep reading, stop accumulating.
      if (shift < 53) result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
      shift += 7;
    }
  }

  zigzag(): number {
    const n = this.varint();
    return n % 2 === 0 ? n / 2 : -(n + 1) / 2;
  }

  skip(type: number, depth = 0): void {
    if (depth > 32) throw new RangeError('parquet page header nests too deeply');
    switch (type) {
      case TRUE:
      case FALSE:
        return;
      case BYTE:
        this.byte();
        return;
      case I16:
      case I32:
      case I64:
        this.varint();
        return;
      case DOUBLE:
        this.advance(8);
        return;
      case BINARY:
        this.advance(this.varint());
        return;
      case LIST:
      case SET: {
        const head = this.byte();
        const size = head >> 4 === 15 ? this.varint() : head >> 4;
        const element = head & 0x0f;
        for (let i = 0; i < size; i++) {
          if (element === TRUE || element === FALSE) this.byte();
          else this.skip(element, depth + 1);
        }
        return;
      }
      case MAP: {
        const size = this.varint();
        if (size === 0) return;
        const kinds = this.byte();
        for (let i = 0; i < size; i++) {
          this.skip(kinds >> 4, depth + 1);
          this.skip(kinds & 0x0f, depth + 1);
        }
        return;
      }
      case STRUCT:
        this.struct(() => false, depth + 1);
        return;
      default:
        throw new RangeError(`parquet page header has an unknown field type ${type}`);
    }
  }

  advance(n: number): void {
    if (this.offset + n > this.bytes.length) throw new RangeError('parquet page header runs past the column chunk');
    this.offset += n;
  }

  /** Walks one struct; `field` reads the fields it knows (returning true), the rest are skipped. */
  struct(field: (id: number, type: number) => boolean, depth = 0): void {
    let id = 0;
    for (;;) {
      const head = this.byte();
      const type = head & 0x0f;
      if (type === STOP) return;
      const delta = head >> 4;
      id = delta === 0 ? this.zigzag() : id + delta;
      if (!field(id, type)) this.skip(type, depth);
    }
  }
}

/** The page header at `offset` of `bytes`, and where the page's data starts. */
export function readPageHeader(bytes: Uint8Array, offset: number): { header: PageHeader; dataStart: number } {
  const r = new Reader(bytes, offset);
  const header: PageHeader = {
    type: -1,
    uncompressedSize: -1,
    compressedSize: -1,
    numValues: 0,
    encoding: -1,
    definitionEncoding: Encoding.rle,
    definitionBytes: 0,
    repetitionBytes: 0,
    valuesCompressed: true,
    numNulls: 0,
  };
  const int = (type: number): number => {
    if (type !== I32) throw new RangeError('parquet page header has a field of the wrong type');
    return r.zigzag();
  };
  r.struct((id, type) => {
    if (id === 1) header.type = int(type);
    else if (id === 2) header.uncompressedSize = int(type);
    else if (id === 3) header.compressedSize = int(type);
    else if (type !== STRUCT) return false;
    else if (id === 5 || id === 7) {
      // DataPageHeader / DictionaryPageHeader: num_values, encoding, (v1) definition level encoding.
      r.struct((sub, subType) => {
        if (sub === 1) header.numValues = int(subType);
        else if (sub === 2) header.encoding = int(subType);
        else if (sub === 3 && id === 5) header.definitionEncoding = int(subType);
        else return false;
        return true;
      });
    } else if (id === 8) {
      r.struct((sub, subType) => {
        if (sub === 1) header.numValues = int(subType);
        else if (sub === 2) header.numNulls = int(subType);
        else if (sub === 4) header.encoding = int(subType);
        else if (sub === 5) header.definitionBytes = int(subType);
        else if (sub === 6) header.repetitionBytes = int(subType);
        else if (sub === 7 && (subType === TRUE || subType === FALSE)) header.valuesCompressed = subType === TRUE;
        else return false;
        return true;
      });
    } else return false;
    return true;
  });
  if (header.type < 0 || header.compressedSize < 0 || header.uncompressedSize < 0 || header.numValues < 0) {
    throw new RangeError('parquet page header is incomplete');
  }
  return { header, dataStart: r.offset };
}
