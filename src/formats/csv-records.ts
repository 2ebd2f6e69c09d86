/**
 * Record bookkeeping under the CSV tokenizer: fields land as byte ranges in the cell arrays,
 * the first record becomes the header, every later one must have as many fields (csv-parse's
 * rule and error codes), records past the size limit are refused, and line numbers are kept
 * for the messages.
 */
import { CsvBuffer } from './csv-buffer.js';

export class CsvSyntaxError extends Error {
  /** `code` is csv-parse's name for the same fault. */
  constructor(
    readonly code: string,
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

/** Cells of the records scanned since the last `startBatch`: row r, column c spans `bytes[starts[r·width + c], ends[…])`. */
export interface CsvCells {
  readonly bytes: Uint8Array;
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  readonly rows: number;
  readonly width: number;
}

export abstract class CsvRecords extends CsvBuffer implements CsvCells {
  /** Column names as written (undecided until the first record ends). */
  header: string[] | undefined;
  /** Current line, and the line the current record started on (for errors). */
  protected lines = 1;
  protected recordLine = 1;
  private headerRanges: number[] = [];

  constructor(protected readonly maxRecordBytes: number) {
    super();
  }

  /** Forgets the records handed out; their bytes may be reused from now on. */
  startBatch(): void {
    this.rows = 0;
  }

  protected field(start: number, end: number): void {
    const width = this.width;
    if (width === 0) this.headerRanges.push(start, end);
    else if (this.column < width) {
      const k = this.rows * width + this.column;
      this.starts[k] = start;
      this.ends[k] = end;
    }
    this.column++;
  }

  /** Closes the record whose fields were just emitted; true when the scan should stop (header read, batch full). */
  protected endRecord(next: number, maxRows: number): boolean {
    if (next - this.recordStart > this.maxRecordBytes) this.tooLong();
    const columns = this.column;
    this.column = 0;
    const header = this.width === 0;
    if (header) this.takeHeader(columns);
    else if (columns !== this.width) {
      this.fail('CSV_RECORD_INCONSISTENT_FIELDS_LENGTH', `Invalid Record Length: expect ${this.width}, got ${columns} on line ${this.recordLine}`, this.recordLine);
    } else {
      if (this.rows === 0) this.batchStart = this.recordStart;
      this.rows++;
      this.reserveRows(this.rows + 1, this.width);
    }
    this.recordStart = next;
    this.recordLine = this.lines;
    return header || this.rows >= maxRows;
  }

  /** The input ended inside a record: its last field spans [start, end). */
  protected endAtEof(start: number, end: number): void {
    this.field(start, end);
    this.endRecord(end, Number.MAX_SAFE_INTEGER);
  }

  protected tooLong(): never {
    return this.fail('CSV_MAX_RECORD_SIZE', `Max Record Size: a record exceeds the maximum of ${this.maxRecordBytes} bytes at line ${this.recordLine}`, this.recordLine);
  }

  protected fail(code: string, message: string, line = this.lines): never {
    throw new CsvSyntaxError(code, message, line);
  }

  protected override shiftHeld(by: number): void {
    for (let k = 0; k < this.headerRanges.length; k++) this.headerRanges[k]! -= by;
  }

  private takeHeader(columns: number): void {
    const decoder = new TextDecoder();
    const r = this.headerRanges;
    this.header = Array.from({ length: columns }, (_, j) => decoder.decode(this.bytes.subarray(r[2 * j], r[2 * j + 1])));
    this.headerRanges = [];
    this.width = columns;
    this.reserveRows(1, columns);
  }
}
