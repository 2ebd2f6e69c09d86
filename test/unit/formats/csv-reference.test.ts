/**
 * The reader against the pipeline it replaced (strict TextDecoder → csv-parse → inferFromStrings
 * → buildFromStrings, batch by batch with kinds carried over): random typed CSVs — integers
 * around the int32 and 2^53 limits, decimals with and without exponents, bools, ISO timestamps
 * valid and not, strings, empties, and a stray value now and then so columns widen between
 * batches — fed in random chunks, must give batch for batch the same schema, the same values
 * and the same dictionaries (same distinct values, same order).
 */
import type * as arrow from 'apache-arrow';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { buildFromStrings, kindOfType, tableFromColumns } from '../../../src/formats/columns.js';
import { readCsvBatches } from '../../../src/formats/csv.js';
import { inferFromStrings, widenKinds, type ColumnKind } from '../../../src/formats/infer.js';
import { uniqueColumnNames } from '../../../src/formats/projection.js';
import { collectBatches } from '../../helpers/arrow-values.js';
import { mulberry32 as prng } from '../../helpers/random.js';

function referenceBatches(bytes: Uint8Array, batchRows: number, columns?: string[]): arrow.Table[] {
  const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  const records = parse(text, { bom: true, skip_empty_lines: true }) as string[][];
  if (records.length === 0) return [tableFromColumns([], [], 0)];
  const names = uniqueColumnNames(records[0]!);
  const picked = columns ? columns.map((c) => names.indexOf(c)) : names.map((_, j) => j);
  let kinds: ColumnKind[] = picked.map(() => 'null');
  const rows = records.slice(1);
  const out: arrow.Table[] = [];
  for (let from = 0; from < rows.length || out.length === 0; from += batchRows) {
    const batch = rows.slice(from, from + batchRows);
    const built = picked.map((j, k) => {
      const cell = (i: number): string | undefined => batch[i]![j];
      const locked = kinds[k]!;
      const kind = locked === 'string' ? 'string' : widenKinds(locked, inferFromStrings(batch.length, cell));
      return buildFromStrings(kind, batch.length, cell);
    });
    const table = tableFromColumns(picked.map((j) => names[j]!), built, batch.length);
    kinds = table.schema.fields.map((f) => kindOfType(f.type));
    out.push(table);
  }
  return out;
}

/** Everything observable about a batch: names, types, values (nulls included), dictionaries. */
function describeTable(table: arrow.Table): unknown {
  return table.schema.fields.map((field, j) => {
    const vector = table.getChildAt(j)!;
    const dictionary = vector.data[0]?.dictionary;
    return {
      name: field.name,
      type: String(field.type),
      values: Array.from(vector as Iterable<unknown>),
      ...(dictionary ? { dictionary: Array.from(dictionary as Iterable<unknown>) } : {}),
    };
  });
}


const THEMES: Record<string, readonly string[]> = {
  int: ['0', '-0', '+0', '7', '-12', '+3', '2147483647', '2147483648', '-2147483648', '-2147483649', '9007199254740991', '123456', '42'],
  bigint: ['9007199254740993', '12345678901234567890', '1'],
  zeros: ['007', '0', '01234'],
  decimal: ['1.5', '-0.0', '.5', '-.5', '+.5', '1.', '0.1', '4.35', '123456789.123456789', '3.14159265358979323846', '2', '-7'],
  exponent: ['1e5', '1E-3', '2.5e+10', '1.e5', '1e999', '6.02e23'],
  bool: ['true', 'false', 'TRUE', 'False', 'tRuE'],
  timestamp: ['2026-01-31', '2024-02-29', '2026-01-01T10:00', '2026-01-01 23:59:59', '2026-01-01T10:00:59.123456789', '2026-06-30T10:00+05:30', '2026-01-01T10:00:00Z', '0048-02-29'],
  badTimestamp: ['2026-02-29', '0000-02-29', '2026-01-01T24:00', '2026-13-01'],
  text: ['alpha', 'beta', 'é', '中文', '😀 ok', 'a,b', 'say "hi"', 'line\nbreak', ' padded ', 'NaN', 'Infinity', 'null'],
};
const NAMES = Object.keys(THEMES);

function randomTypedCsv(random: () => number): string {
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const width = 1 + Math.floor(random() * 5);
  const themes = Array.from({ length: width }, () => pick(NAMES));
  const rows = Math.floor(random() * 60);
  const eol = pick(['\n', '\r\n']);
  const quote = (v: string): string => (/[",\r\n]/.test(v) || (v !== '' && random() < 0.1) ? `"${v.replace(/"/g, '""')}"` : v);
  const lines = [themes.map((t, j) => quote(random() < 0.1 ? '' : `${t}_${j}`)).join(',')];
  for (let r = 0; r < rows; r++) {
    lines.push(
      themes
        .map((t) => {
          const roll = random();
          if (roll < 0.15) return '';
          // A stray value from another theme now and then: columns widen, or turn to strings, mid-file.
          return quote(pick(THEMES[roll < 0.18 ? pick(NAMES) : t]!));
        })
        .join(','),
    );
  }
  return (random() < 0.1 ? '\uFEFF' : '') + lines.join(eol) + (random() < 0.7 ? eol : '');
}

async function* chunked(bytes: Uint8Array, random: () => number): AsyncGenerator<Uint8Array> {
  for (let from = 0; from < bytes.length; ) {
    const size = random() < 0.3 ? 1 + Math.floor(random() * 4) : 1 + Math.floor(random() * 200);
    yield bytes.slice(from, from + size);
    from += size;
  }
}

describe('CSV reader against the csv-parse pipeline it replaced', () => {
  it('gives the same batches, types, values and dictionaries on random typed CSVs', async () => {
    let widened = 0;
    for (let seed = 1; seed <= 400; seed++) {
      const random = prng(seed);
      const bytes = new TextEncoder().encode(randomTypedCsv(random));
      const batchRows = 1 + Math.floor(random() * 25);
      const expected = referenceBatches(bytes, batchRows).map(describeTable);
      const got = (await collectBatches(readCsvBatches(chunked(bytes, random), { batchRows }))).map(describeTable);
      expect({ seed, got }).toEqual({ seed, got: expected });
      const schemas = new Set(expected.map((batch) => JSON.stringify((batch as { type: string }[]).map((c) => c.type))));
      if (schemas.size > 1) widened++;
    }
    // Kinds really did change between batches in many files (else widening went untested).
    expect(widened).toBeGreaterThan(40);
  });

  it('gives the same result with a projection, a double BOM and the demo-sized batch', async () => {
    const random = prng(99);
    for (let n = 0; n < 50; n++) {
      const text = randomTypedCsv(random);
      const bytes = new TextEncoder().encode(`\uFEFF\uFEFF${text.replace(/^\uFEFF/, '')}`);
      const header = referenceBatches(bytes, 10)[0]!.schema.fields.map((f) => f.name);
      const columns = header.filter(() => random() < 0.6).reverse();
      const expected = referenceBatches(bytes, 10, columns).map(describeTable);
      const got = (await collectBatches(readCsvBatches(chunked(bytes, random), { batchRows: 10, columns }))).map(describeTable);
      expect(got).toEqual(expected);
    }
  });
});
