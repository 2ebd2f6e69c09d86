import { describe, expect, it } from 'vitest';
import { detectFormat } from '../../../src/formats/detect.js';
import { inferFromStrings, inferFromValues, parseIsoMillis, widenKinds } from '../../../src/formats/infer.js';

const inferText = (cells: (string | null)[]) => inferFromStrings(cells.length, (i) => cells[i]);
const inferJs = (values: unknown[]) => inferFromValues(values.length, (i) => values[i]);

describe('detectFormat', () => {
  it.each([
    ['a/b/orders.csv', 'csv'],
    ['x.JSON', 'json'],
    ['events/2026-09-01.jsonl', 'jsonl'],
    ['e.ndjson', 'jsonl'],
    ['o.parquet', 'parquet'],
    ['o.pq', 'parquet'],
    ['t.arrow', 'arrow'],
    ['t.feather', 'arrow'],
    ['t.arrows', 'arrow'],
    ['t.ipc', 'arrow'],
  ])('%s → %s', (path, format) => expect(detectFormat(path)).toBe(format));

  it('prefers the explicit format and rejects unknown ones with a hint', () => {
    expect(detectFormat('data.bin', 'Parquet')).toBe('parquet');
    expect(() => detectFormat('data.csv', 'xlsx')).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', hint: expect.stringContaining('format') }));
  });

  it('rejects unknown extensions, no extension and dotfiles with the list of formats', () => {
    for (const path of ['report.xlsx', 'README', 'dir/.csv', 'x.csv.gz']) {
      expect(() => detectFormat(path)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', hint: expect.stringContaining('parquet') }));
    }
  });
});

describe('parseIsoMillis', () => {
  it('reads dates and timestamps as UTC, honouring offsets', () => {
    expect(parseIsoMillis('2026-09-01')).toBe(Date.UTC(2026, 8, 1));
    expect(parseIsoMillis('2026-09-01T10:20:30Z')).toBe(Date.UTC(2026, 8, 1, 10, 20, 30));
    expect(parseIsoMillis('2026-09-01 10:20:30.123')).toBe(Date.UTC(2026, 8, 1, 10, 20, 30, 123));
    expect(parseIsoMillis('2026-09-01T10:20:30.123456789+02:00')).toBe(Date.UTC(2026, 8, 1, 8, 20, 30, 123));
    expect(parseIsoMillis('2026-09-01T10:20-0130')).toBe(Date.UTC(2026, 8, 1, 11, 50));
  });
  it('rejects impossible dates and non-ISO text', () => {
    for (const text of ['2026-02-30', '2026-13-01', '2026-09-01T24:00', '01/09/2026', '2026-9-1', 'yesterday', '']) {
      expect(parseIsoMillis(text)).toBeUndefined();
    }
  });
});

describe('inference', () => {
  it('infers kinds from text cells', () => {
    expect(inferText(['1', '-2', '', null])).toBe('int32');
    expect(inferText(['1', '3000000000'])).toBe('float64');
    expect(inferText(['1', '2.5', '1e3'])).toBe('float64');
    expect(inferText(['true', 'FALSE', ''])).toBe('bool');
    expect(inferText(['2026-01-01', '2026-01-02T03:04:05Z'])).toBe('timestamp');
    expect(inferText(['1', 'x'])).toBe('string');
    expect(inferText(['', null])).toBe('null');
  });
  it('keeps leading-zero codes and integers beyond 2^53 as strings', () => {
    expect(inferText(['007', '123'])).toBe('string');
    expect(inferText(['12345678901234567890'])).toBe('string');
  });
  it('infers kinds from JS values', () => {
    expect(inferJs([1, null, 2])).toBe('int32');
    expect(inferJs([1, 2.5])).toBe('float64');
    expect(inferJs([true, false])).toBe('bool');
    expect(inferJs(['2026-01-01T00:00:00Z'])).toBe('timestamp');
    expect(inferJs([1, 'a'])).toBe('string');
    expect(inferJs([{ a: 1 }])).toBe('string');
    expect(inferJs([undefined, null])).toBe('null');
  });
  it('widens int32 to float64 and anything else to string', () => {
    expect(widenKinds('int32', 'float64')).toBe('float64');
    expect(widenKinds('null', 'bool')).toBe('bool');
    expect(widenKinds('bool', 'int32')).toBe('string');
    expect(widenKinds('timestamp', 'timestamp')).toBe('timestamp');
  });
});
