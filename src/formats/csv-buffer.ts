/**
 * The byte buffer under the CSV tokenizer: chunks are appended (and validated as UTF-8) behind
 * the bytes still referenced — the records of the batch being collected and the record being
 * scanned — and everything before those is dropped by sliding the rest down, so memory stays
 * about one chunk plus one batch whatever the object's size. Growth doubles, so each byte is
 * copied a constant number of times on average, even for tiny chunks or huge batches.
 */
import { limitExceeded } from '../results/errors.js';
import { validateUtf8 } from './csv-utf8.js';

const MIN_CAPACITY = 64 * 1024;
/** Cell offsets are Int32: the bytes held at once (one batch and a chunk) must stay below 2 GiB. */
const MAX_HELD_BYTES = 2 ** 31 - 1;
const MIN_CELLS = 1024;

export abstract class CsvBuffer {
  bytes = new Uint8Array(0);
  starts = new Int32Array(0);
  ends = new Int32Array(0);
  /** Complete records waiting in `starts`/`ends`. */
  rows = 0;
  /** Fields per record (0 until the header is read). */
  width = 0;
  /** Field of the current record being scanned. */
  protected column = 0;
  /** Bytes [0, len) hold data; [0, validEnd) are known to be valid UTF-8 and may be scanned. */
  protected len = 0;
  protected validEnd = 0;
  protected ended = false;
  /** Scan position, current field's start, unescape write position, current and first pending record's starts. */
  protected pos = 0;
  protected fieldStart = 0;
  protected write = 0;
  protected recordStart = 0;
  protected batchStart = 0;
  /** Stream offset of `bytes[0]`. */
  private dropped = 0;

  append(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    if (this.len + chunk.length > this.bytes.length) this.makeRoom(chunk.length);
    this.bytes.set(chunk, this.len);
    this.len += chunk.length;
    this.validEnd = validateUtf8(this.bytes, this.validEnd, this.len, false, this.dropped);
  }

  /** No more chunks: a character left incomplete is now an error. */
  finish(): void {
    this.ended = true;
    this.validEnd = validateUtf8(this.bytes, this.validEnd, this.len, true, this.dropped);
  }

  /** Makes `starts`/`ends` hold `rows` records of `width` fields. */
  protected reserveRows(rows: number, width: number): void {
    const cells = rows * width;
    if (cells <= this.starts.length) return;
    const size = Math.max(cells, this.starts.length * 2, MIN_CELLS);
    const starts = new Int32Array(size);
    const ends = new Int32Array(size);
    starts.set(this.starts);
    ends.set(this.ends);
    this.starts = starts;
    this.ends = ends;
  }

  /** Offsets held outside the common fields (the header's) move down by `by` too. */
  protected abstract shiftHeld(by: number): void;

  private makeRoom(incoming: number): void {
    const keep = this.rows > 0 ? this.batchStart : this.recordStart;
    const need = this.len - keep + incoming;
    if (need > MAX_HELD_BYTES) {
      throw limitExceeded('One batch of CSV records would hold more than 2 GiB of text.', 'Read fewer rows per batch (a smaller limit), or split the file.');
    }
    if (need * 2 <= this.bytes.length) {
      this.bytes.copyWithin(0, keep, this.len);
    } else {
      const grown = new Uint8Array(Math.min(MAX_HELD_BYTES, Math.max(this.bytes.length * 2, need * 2, MIN_CAPACITY)));
      grown.set(this.bytes.subarray(keep, this.len));
      this.bytes = grown;
    }
    if (keep === 0) return;
    this.len -= keep;
    this.validEnd -= keep;
    this.pos -= keep;
    this.fieldStart -= keep;
    this.write -= keep;
    this.recordStart -= keep;
    this.batchStart -= keep;
    this.dropped += keep;
    const held = this.rows * this.width + Math.min(this.column, this.width);
    for (let k = 0; k < held; k++) {
      this.starts[k]! -= keep;
      this.ends[k]! -= keep;
    }
    this.shiftHeld(keep);
  }
}
