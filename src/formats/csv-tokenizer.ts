/**
 * Byte-level CSV tokenizer (RFC 4180, with csv-parse's reading of it: `bom`, `skip_empty_lines`).
 * Bytes are copied into one growing buffer and validated as UTF-8 before they are scanned; each
 * record becomes `width` (start, end) byte offsets in two Int32Arrays, so no JS string or array
 * is made per cell or row. Quoted fields are unescaped in place (`""` → `"`), which keeps every
 * cell one contiguous byte range. The state survives chunk boundaries anywhere: inside a field,
 * a quote pair, a CRLF, a BOM or a multi-byte character.
 *
 * The record delimiter is discovered as csv-parse does: the first CRLF, LF or CR outside quotes
 * fixes it, and other CR/LF bytes are then field content. The first record is the header.
 */
import { CsvRecords } from './csv-records.js';

export { CsvSyntaxError, type CsvCells } from './csv-records.js';

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
const EOL_UNKNOWN = 0;
const EOL_LF = 1;
const EOL_CRLF = 2;
const EOL_CR = 3;
/** Where a scan stopped inside a field, so the next one resumes there. */
const FIELD_START = 0;
const UNQUOTED = 1;
const QUOTED = 2;

export interface CsvTokenizerOptions {
  /** A single ASCII byte other than a quote, CR or LF; a comma unless given. */
  delimiter?: number;
  /** A record longer than this many bytes is refused instead of buffered without bound. */
  maxRecordBytes: number;
}

export class CsvTokenizer extends CsvRecords {
  private readonly delimiter: number;
  /** Bytes above this are never special: the scan skips them with one comparison. */
  private readonly special: number;
  private eol = EOL_UNKNOWN;
  private state = FIELD_START;
  private bomDone = false;
  private boms = 0;

  constructor(options: CsvTokenizerOptions) {
    super(options.maxRecordBytes);
    this.delimiter = options.delimiter ?? 0x2c;
    if (this.delimiter === QUOTE || this.delimiter === CR || this.delimiter === LF || this.delimiter > 0x7f) {
      throw new RangeError('the CSV delimiter must be one ASCII byte other than a quote, CR or LF');
    }
    this.special = Math.max(this.delimiter, QUOTE, CR, LF);
  }

  /**
   * Scans what has arrived until `maxRows` records are waiting or the header has just been read
   * (true: the caller acts, then scans on), or the bytes run out (false; after `finish`, the
   * input is then fully parsed).
   */
  scan(maxRows: number): boolean {
    if (this.rows >= maxRows) return true;
    if (!this.bomDone && !this.skipBoms()) return false;
    const bytes = this.bytes;
    const limit = this.validEnd;
    const final = this.ended;
    const delimiter = this.delimiter;
    const special = this.special;
    let i = this.pos;
    for (;;) {
      if (this.state === FIELD_START) {
        if (i >= limit) {
          // A record left open by a trailing delimiter ends with an empty field.
          if (final && this.column > 0) this.endAtEof(i, i);
          return this.pause(i, FIELD_START, false);
        }
        const b = bytes[i]!;
        if (b === QUOTE) {
          this.fieldStart = this.write = i + 1;
          i++;
          this.state = QUOTED;
        } else if (b === delimiter) {
          this.field(i, i);
          i++;
          this.fieldStart = i;
          continue;
        } else {
          this.state = UNQUOTED;
        }
      }
      if (this.state === UNQUOTED) {
        for (;;) {
          if (i >= limit) {
            if (!final) return this.pause(i, UNQUOTED, false);
            this.endAtEof(this.fieldStart, i);
            return this.pause(i, FIELD_START, false);
          }
          const b = bytes[i]!;
          if (b > special) {
            i++;
            continue;
          }
          if (b === delimiter) {
            this.field(this.fieldStart, i);
            this.fieldStart = ++i;
            this.state = FIELD_START;
            break;
          }
          if (b === LF || b === CR) {
            const eol = this.eolAt(i, limit);
            if (eol < 0) return this.pause(i, UNQUOTED, false);
            if (eol > 0) {
              const emptyLine = this.column === 0 && i === this.fieldStart;
              if (!emptyLine) this.field(this.fieldStart, i);
              i += eol;
              this.lines++;
              this.state = FIELD_START;
              this.fieldStart = i;
              if (emptyLine) {
                this.recordStart = i;
                this.recordLine = this.lines;
              } else if (this.endRecord(i, maxRows)) return this.pause(i, FIELD_START, true);
              break;
            }
            if (b === LF) this.lines++;
          } else if (b === QUOTE) {
            this.fail('INVALID_OPENING_QUOTE', `Invalid Opening Quote: a quote is found in the middle of field ${this.column} at line ${this.lines}`);
          }
          i++;
        }
        continue;
      }
      // QUOTED: up to the closing quote, unescaping `""` in place (`write` trails `i` once one was seen).
      let w = this.write;
      for (;;) {
        if (i >= limit) {
          if (final) this.fail('CSV_QUOTE_NOT_CLOSED', `Quote Not Closed: the parsing is finished with an opening quote at line ${this.lines}`);
          this.write = w;
          return this.pause(i, QUOTED, false);
        }
        const b = bytes[i]!;
        if (b !== QUOTE) {
          if (b === LF) this.lines++;
          if (w !== i) bytes[w] = b;
          w++;
          i++;
          continue;
        }
        // A quote: an escaped one, or the end of the field. Deciding may need two bytes past it (CRLF).
        if (i + 2 >= limit && !final) {
          this.write = w;
          return this.pause(i, QUOTED, false);
        }
        if (i + 1 < limit && bytes[i + 1] === QUOTE) {
          bytes[w++] = QUOTE;
          i += 2;
          continue;
        }
        i++;
        if (i >= limit) {
          this.endAtEof(this.fieldStart, w);
          return this.pause(i, FIELD_START, false);
        }
        const next = bytes[i]!;
        const eol = next === delimiter ? 0 : this.eolAt(i, limit);
        if (next !== delimiter && eol <= 0) {
          const shown = String.fromCodePoint(new TextDecoder().decode(bytes.subarray(i, i + 4)).codePointAt(0)!);
          this.fail('CSV_INVALID_CLOSING_QUOTE', `Invalid Closing Quote: got "${shown}" at line ${this.lines} instead of a delimiter or the end of the line`);
        }
        this.field(this.fieldStart, w);
        this.state = FIELD_START;
        if (eol > 0) {
          i += eol;
          this.lines++;
          this.fieldStart = i;
          if (this.endRecord(i, maxRows)) return this.pause(i, FIELD_START, true);
        } else {
          this.fieldStart = ++i;
        }
        break;
      }
    }
  }

  /** Skips up to two UTF-8 BOMs, as the reader did before: its strict TextDecoder dropped one, csv-parse's `bom` option the next. */
  private skipBoms(): boolean {
    while (this.boms < 2) {
      const at = this.pos;
      if (this.validEnd - at < 3 && !this.ended) return false;
      const b = this.bytes;
      if (this.validEnd - at < 3 || b[at] !== 0xef || b[at + 1] !== 0xbb || b[at + 2] !== 0xbf) break;
      this.pos = this.fieldStart = this.recordStart = at + 3;
      this.boms++;
    }
    this.bomDone = true;
    return true;
  }

  /** Length of the record delimiter at `i` (0: none there, -1: cannot tell before more bytes arrive). */
  private eolAt(i: number, limit: number): number {
    const b = this.bytes[i];
    switch (this.eol) {
      case EOL_LF:
        return b === LF ? 1 : 0;
      case EOL_CR:
        return b === CR ? 1 : 0;
      case EOL_CRLF:
        if (b !== CR) return 0;
        if (i + 1 >= limit) return this.ended ? 0 : -1;
        return this.bytes[i + 1] === LF ? 2 : 0;
      default:
        if (b === LF) {
          this.eol = EOL_LF;
          return 1;
        }
        if (b !== CR) return 0;
        if (i + 1 >= limit && !this.ended) return -1;
        if (i + 1 < limit && this.bytes[i + 1] === LF) {
          this.eol = EOL_CRLF;
          return 2;
        }
        this.eol = EOL_CR;
        return 1;
    }
  }

  /** Saves where the scan stopped; returns `full`, scan's answer. */
  private pause(i: number, state: number, full: boolean): boolean {
    this.pos = i;
    this.state = state;
    if (i - this.recordStart > this.maxRecordBytes) this.tooLong();
    return full;
  }
}
