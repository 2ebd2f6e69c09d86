/**
 * The byte-level tokenizer against csv-parse (the parser the reader used before, with the same
 * options): random CSVs with quotes, doubled quotes, embedded delimiters and newlines, empty
 * fields and lines, multi-byte characters, BOMs and every line ending, fed in random chunks
 * (down to single bytes, so every boundary falls inside a field, a quote pair, a CRLF and a
 * character somewhere) must give the same cells, or fail where csv-parse fails, with its code.
 */
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { CsvSyntaxError, CsvTokenizer } from '../../../src/formats/csv-tokenizer.js';
import { mulberry32 as prng } from '../../helpers/random.js';


const PIECES = ['a', 'xyz', '42', '-3.5', ' ', 'é', '中文', '😀', 'ß', 'true', '2026-01-02', '\t'];
const SPECIAL = [',', '"', '\n', '\r', '\r\n', '""', ',,'];

function randomCsv(random: () => number, options: { broken: boolean; delimiter: string }): string {
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const eol = pick(['\n', '\r\n', '\r']);
  const width = 1 + Math.floor(random() * 4);
  const rows = Math.floor(random() * 12);
  const lines: string[] = [];
  for (let r = 0; r <= rows; r++) {
    if (random() < 0.1) lines.push('');
    const fields: string[] = [];
    // A ragged row now and then, when errors are wanted.
    const n = options.broken && random() < 0.1 ? width + (random() < 0.5 ? 1 : -1) : width;
    for (let c = 0; c < Math.max(0, n); c++) {
      const roll = random();
      if (roll < 0.15) fields.push('');
      else if (roll < 0.2) fields.push('""');
      else {
        let text = '';
        const parts = 1 + Math.floor(random() * 3);
        for (let p = 0; p < parts; p++) text += random() < 0.3 ? pick(SPECIAL).replace(',', options.delimiter) : pick(PIECES);
        // CR or LF left unquoted now and then: content where it is not the line ending csv-parse settled on.
        const mustQuote = text.includes('"') || text.includes(options.delimiter) || (/[\r\n]/.test(text) && random() < 0.7);
        if (mustQuote || random() < 0.2) fields.push(`"${text.replace(/"/g, '""')}"`);
        else fields.push(text);
      }
    }
    let line = fields.join(options.delimiter);
    if (options.broken && random() < 0.15) {
      // A stray quote somewhere: opening mid-field, junk after a closing quote, or left open.
      const at = Math.floor(random() * (line.length + 1));
      line = line.slice(0, at) + pick(['"', '"x', 'x"']) + line.slice(at);
    }
    lines.push(line);
  }
  const body = lines.join(eol) + (random() < 0.6 ? eol : '');
  return (random() < 0.2 ? '\uFEFF' : '') + body;
}

type Outcome = { rows: string[][] } | { error: string };

function csvParseOutcome(bytes: Uint8Array, delimiter: string): Outcome {
  try {
    const rows = parse(Buffer.from(bytes), { bom: true, skip_empty_lines: true, delimiter }) as string[][];
    return { rows };
  } catch (error) {
    return { error: (error as { code: string }).code };
  }
}

function splitPoints(random: () => number, length: number): number[] {
  const mode = random();
  const points: number[] = [];
  if (mode < 0.2) for (let i = 1; i < length; i++) points.push(i);
  else {
    const count = Math.floor(random() * 8);
    for (let i = 0; i < count; i++) points.push(Math.floor(random() * length));
  }
  return [...new Set(points)].sort((a, b) => a - b);
}

function tokenizerOutcome(bytes: Uint8Array, points: number[], batchRows: number, delimiter: string): Outcome {
  const tokenizer = new CsvTokenizer({ maxRecordBytes: 1 << 20, delimiter: delimiter.charCodeAt(0) });
  const decoder = new TextDecoder();
  const rows: string[][] = [];
  const take = (): void => {
    for (let r = 0; r < tokenizer.rows; r++) {
      const row: string[] = [];
      for (let c = 0; c < tokenizer.width; c++) {
        const k = r * tokenizer.width + c;
        row.push(decoder.decode(tokenizer.bytes.subarray(tokenizer.starts[k], tokenizer.ends[k])));
      }
      rows.push(row);
    }
    tokenizer.startBatch();
  };
  try {
    let from = 0;
    for (const to of [...points, bytes.length]) {
      tokenizer.append(bytes.subarray(from, to));
      from = to;
      while (tokenizer.scan(batchRows)) take();
    }
    tokenizer.finish();
    while (tokenizer.scan(batchRows)) take();
    take();
    // Scanning again after the end finds nothing more.
    tokenizer.scan(batchRows);
    take();
    return { rows: tokenizer.header ? [tokenizer.header, ...rows] : rows };
  } catch (error) {
    if (error instanceof CsvSyntaxError) return { error: error.code };
    throw error;
  }
}

/** Checks one seed; true when csv-parse read the file (false: both failed alike). */
function agree(seed: number, broken: boolean, delimiter = ','): boolean {
  const random = prng(seed);
  const bytes = new TextEncoder().encode(randomCsv(random, { broken, delimiter }));
  const expected = csvParseOutcome(bytes, delimiter);
  const points = splitPoints(random, bytes.length);
  const batchRows = 1 + Math.floor(random() * 5);
  const got = tokenizerOutcome(bytes, points, batchRows, delimiter);
  if (JSON.stringify(got) !== JSON.stringify(expected)) {
    throw new Error(`seed ${seed}: ${JSON.stringify(new TextDecoder().decode(bytes))} split at ${points.join(',')}\nexpected ${JSON.stringify(expected)}\ngot      ${JSON.stringify(got)}`);
  }
  return 'rows' in expected;
}

describe('CSV tokenizer against csv-parse', () => {
  it('gives identical cells for random well-formed CSVs over random chunk splits', () => {
    let read = 0;
    for (let seed = 1; seed <= 1500; seed++) if (agree(seed, false)) read++;
    // Unquoted CR/LF can still make a row ragged, but nearly every file must parse.
    expect(read).toBeGreaterThan(1000);
  });

  it('fails exactly where csv-parse fails (ragged rows, stray quotes), with its error code', () => {
    let failures = 0;
    for (let seed = 10_001; seed <= 11_500; seed++) if (!agree(seed, true)) failures++;
    // The generator really does produce broken files (else this test would prove nothing).
    expect(failures).toBeGreaterThan(900);
  });

  it('agrees with other delimiters (semicolon, tab)', () => {
    for (let seed = 20_001; seed <= 20_300; seed++) agree(seed, seed % 3 === 0, seed % 2 ? ';' : '\t');
  });

  it('agrees on hand-picked corner cases, whole and split at every byte', () => {
    const cases = [
      '',
      '\n\n',
      '\uFEFF',
      '\uFEFFa',
      'a',
      'a\n\n\nb\n',
      'a\n""\n\n',
      'a,b\r\n1,"x\r\ny"\r\n',
      'a,b\r\n1,2\n3\r\n',
      'a,b\n1,2\r\n',
      'a\r1\r2',
      'a,b\r',
      '"a"\r\n"b"\r',
      '"a""b",c\n"""",""\n',
      '"a"x\n',
      'a,b\n1,x"y\n',
      'a\n"open\n',
      'a,b\n1,2\n3\n',
      'a,b\n1,2,3\n',
      'a,\n,\n',
      'é,中\n😀,"😀,😀"\n',
    ];
    for (const text of cases) {
      const bytes = new TextEncoder().encode(text);
      const expected = csvParseOutcome(bytes, ',');
      for (let at = 0; at <= bytes.length; at++) {
        const got = tokenizerOutcome(bytes, at === 0 || at === bytes.length ? [] : [at], 2, ',');
        expect({ text, at, got }).toEqual({ text, at, got: expected });
      }
    }
  });
});
