/**
 * The CSV reader as a stream: chunk boundaries anywhere (inside characters, BOMs, CRLFs, quote
 * pairs, huge fields), strict UTF-8 across chunks, errors after earlier batches were already
 * handed out, bounded records, early stops and cancellation.
 */
import { describe, expect, it } from 'vitest';
import { FIRST_CHUNK_BYTES } from '../../../src/formats/byte-stream.js';
import { readCsvBatches } from '../../../src/formats/csv.js';
import { unifyTables } from '../../../src/formats/unify.js';
import { columnValues, collectBatches, rowsOf } from '../../helpers/arrow-values.js';
import { demoSource, memorySource } from '../../helpers/byte-source.js';

const encode = (text: string): Uint8Array => new TextEncoder().encode(text);

async function* pieces(parts: readonly Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield part;
}

function splitAt(bytes: Uint8Array, ...points: number[]): Uint8Array[] {
  const cuts = [0, ...points, bytes.length];
  return cuts.slice(1).map((end, i) => bytes.slice(cuts[i], end));
}

function everySize(bytes: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.slice(i, i + size));
  return out;
}

const rowsFrom = async (parts: readonly Uint8Array[], batchRows = 3) =>
  rowsOf(unifyTables(await collectBatches(readCsvBatches(pieces(parts), { batchRows }))));

describe('CSV reader over chunk boundaries', () => {
  it('gives the same rows wherever one split falls (characters, BOM, CRLF, quote pairs)', async () => {
    const bytes = encode('\uFEFFnamé,n,"q,""x"""\r\n"é😀中",1,"a""b"\r\n\r\n"",2,"c\r\nd"\r\nß,3,e');
    const whole = await rowsFrom([bytes]);
    expect(whole).toEqual([
      { namé: 'é😀中', n: 1, 'q,"x"': 'a"b' },
      { namé: null, n: 2, 'q,"x"': 'c\r\nd' },
      { namé: 'ß', n: 3, 'q,"x"': 'e' },
    ]);
    for (let at = 1; at < bytes.length; at++) expect({ at, rows: await rowsFrom(splitAt(bytes, at)) }).toEqual({ at, rows: whole });
    expect(await rowsFrom(everySize(bytes, 1))).toEqual(whole);
  });

  it('reads CR-only line endings, a header without a newline, and blank lines of a one-column file', async () => {
    expect(await rowsFrom([encode('a,b\r1,2\r3,4')])).toEqual([{ a: 1, b: 2 }, { a: 3, b: 4 }]);
    const headerOnly = await collectBatches(readCsvBatches(pieces([encode('a,b')])));
    expect(headerOnly.map((t) => [t.numRows, t.schema.fields.map((f) => f.name)])).toEqual([[0, ['a', 'b']]]);
    // A blank line is skipped; a quoted empty field is a row holding a null.
    expect(await rowsFrom(everySize(encode('a\n1\n\n2\n""\n'), 2))).toEqual([{ a: 1 }, { a: 2 }, { a: null }]);
  });

  it('keeps a large quoted field with many doubled quotes intact across many small chunks', async () => {
    const value = 'ab""c\n,'.repeat(50_000);
    const bytes = encode(`id,text\n1,"${value}"\n2,"x"\n`);
    const table = unifyTables(await collectBatches(readCsvBatches(pieces(everySize(bytes, 997)), { batchRows: 1 })));
    expect(columnValues(table, 'text')).toEqual([value.replace(/""/g, '"'), 'x']);
  });

  it('gives the same table for a batch spanning many chunks as for one read', async () => {
    const source = await demoSource('orders.csv');
    const bytes = await source.read(0, source.size);
    const whole = unifyTables(await collectBatches(readCsvBatches(pieces([bytes]))));
    const split = unifyTables(await collectBatches(readCsvBatches(pieces(everySize(bytes, 1000)), { batchRows: 1e9 })));
    expect(split.numRows).toBe(10_000);
    for (const name of whole.schema.fields.map((f) => f.name)) expect(columnValues(split, name)).toEqual(columnValues(whole, name));
  });
});

describe('CSV reader: string dictionaries from bytes', () => {
  it('tells apart prefixes, near twins and differently composed characters, in first-seen order', async () => {
    const [table] = await collectBatches(readCsvBatches(pieces([encode('v\na\nab\nabc\na\nab\nabd\n"é"\ne\u0301\né\n')])));
    const vector = table!.getChild('v')!;
    expect(Array.from(vector.data[0]!.dictionary! as Iterable<unknown>)).toEqual(['a', 'ab', 'abc', 'abd', 'é', 'e\u0301']);
    expect(Array.from(vector.data[0]!.values as Int32Array)).toEqual([0, 1, 2, 0, 1, 3, 4, 5, 4]);
  });
});

describe('CSV reader: one very large batch', () => {
  it('builds 70 000 rows in one batch (past the scratch kept between batches) with the right values', async () => {
    const lines = ['id,key,quarter'];
    for (let i = 0; i < 70_000; i++) lines.push(`${i},${i % 7 === 0 ? '' : `k${i % 1000}`},${i / 4}`);
    const [table, ...rest] = await collectBatches(readCsvBatches(pieces(everySize(encode(lines.join('\n')), 65_536)), { batchRows: 1e9 }));
    expect(rest).toEqual([]);
    expect(table!.numRows).toBe(70_000);
    const keys = table!.getChild('key')!;
    expect(keys.nullCount).toBe(10_000);
    expect(keys.data[0]!.dictionary!.length).toBe(1000);
    expect(columnValues(table!, 'id').reduce((a, b) => (a as number) + (b as number), 0)).toBe((69_999 * 70_000) / 2);
    expect(columnValues(table!, 'quarter')[69_999]).toBe(69_999 / 4);
    expect(columnValues(table!, 'key').slice(0, 3)).toEqual([null, 'k1', 'k2']);
  });
});

describe('CSV reader: strict UTF-8', () => {
  const invalid: [string, number[]][] = [
    ['a lone continuation byte', [0x80]],
    ['an overlong encoding', [0xc0, 0x80]],
    ['a UTF-16 surrogate', [0xed, 0xa0, 0x80]],
    ['a code point past U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
    ['a lead byte followed by ASCII', [0xc3, 0x41]],
    ['a truncated sequence at the end', [0xe2, 0x82]],
  ];
  for (const [what, bad] of invalid) {
    it(`rejects ${what}, whole or split anywhere`, async () => {
      const bytes = new Uint8Array([...encode('a,b\n1,x'), ...bad, ...encode('\n')]);
      for (let at = 0; at < bytes.length; at++) {
        const parts = at === 0 ? [bytes] : splitAt(bytes, at);
        await expect(collectBatches(readCsvBatches(pieces(parts), { path: 'bad.csv' }))).rejects.toMatchObject({
          code: 'INVALID_ARGUMENT',
          message: expect.stringContaining('"bad.csv" is not valid UTF-8'),
          hint: expect.stringContaining('UTF-8'),
        });
      }
    });
  }

  it('hands out the batches before a bad chunk, then fails naming an offset at or before the bad byte', async () => {
    const batches: number[] = [];
    const read = async () => {
      for await (const batch of readCsvBatches(pieces([encode('a\n1\n2\n'), new Uint8Array([0x33, 0x0a, 0xff, 0x0a])]), { batchRows: 1 })) {
        batches.push(batch.numRows);
      }
    };
    await expect(read()).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', detail: { offset: 6 } });
    expect(batches).toEqual([1, 1]);
  });
});

describe('CSV reader: errors name the fault', () => {
  const cases: [string, string, string, RegExp][] = [
    ['a short row', 'a,b\n1,2\n3\n', 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH', /line 3.*expect 2, got 1/],
    ['a long row after a quoted newline', 'a,b\n"x\ny",2\n1,2,3\n', 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH', /line 4.*expect 2, got 3/],
    ['a quote inside an unquoted field', 'a,b\n1,x"y\n', 'INVALID_OPENING_QUOTE', /line 2.*Opening Quote/],
    ['text after a closing quote', 'a,b\n1,"x"y\n', 'CSV_INVALID_CLOSING_QUOTE', /line 2.*got "y"/],
    ['a quote left open', 'a,b\n1,"x\n2,3\n', 'CSV_QUOTE_NOT_CLOSED', /Quote Not Closed/],
  ];
  for (const [what, text, csvCode, message] of cases) {
    it(`rejects ${what} with csv-parse's code`, async () => {
      for (const parts of [[encode(text)], everySize(encode(text), 1)]) {
        await expect(collectBatches(readCsvBatches(pieces(parts), { path: 'e.csv' }))).rejects.toMatchObject({
          code: 'INVALID_ARGUMENT',
          message: expect.stringMatching(message),
          hint: expect.stringMatching(csvCode.includes('LENGTH') ? /as many fields as the header/ : /quoting/),
          detail: expect.objectContaining({ path: 'e.csv', csvCode }),
        });
      }
    });
  }

  it('checks the projection against the header before reading any row', async () => {
    await expect(collectBatches(readCsvBatches(pieces([encode('a,b\n1\n')]), { columns: ['nope'] }))).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining('"nope"'),
    });
  });

  it('refuses an endless record without reading the whole object', async () => {
    const source = memorySource(`a\n"${'x'.repeat(24 * 1024 * 1024)}"\n`, 'huge.csv');
    await expect(collectBatches(readCsvBatches(source))).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      detail: expect.objectContaining({ csvCode: 'CSV_MAX_RECORD_SIZE', line: 2 }),
    });
    expect(source.bytesRead).toBeLessThan(source.size / 2);
  });
});

describe('CSV reader: stopping', () => {
  it('reads only the first chunk of a large object when the first batch is all that is wanted', async () => {
    const lines = ['id,name,amount'];
    for (let i = 0; i < 200_000; i++) lines.push(`${i},name ${i % 97},${(i % 1000) / 10}`);
    const source = memorySource(`${lines.join('\n')}\n`, 'big.csv');
    for await (const batch of readCsvBatches(source, { batchRows: 500 })) {
      expect(batch.numRows).toBe(500);
      break;
    }
    expect(source.bytesRead).toBe(FIRST_CHUNK_BYTES);
  });

  it('stops with CANCELLED when the signal is aborted between reads', async () => {
    const lines = ['id'];
    for (let i = 0; i < 100_000; i++) lines.push(String(i));
    const controller = new AbortController();
    const read = async () => {
      for await (const _ of readCsvBatches(memorySource(lines.join('\n'), 'c.csv'), { batchRows: 100, signal: controller.signal })) controller.abort();
    };
    await expect(read()).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});
