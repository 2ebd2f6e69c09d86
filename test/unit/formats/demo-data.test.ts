import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateDemoData, INJECTION_TEXT } from '../../../scripts/generate-demo-data.js';
import { readBatches } from '../../../src/formats/index.js';
import { unifyTables } from '../../../src/formats/unify.js';
import { DEMO_DATA_DIR, demoSource } from '../../helpers/byte-source.js';
import { collectBatches, rowsOf } from '../../helpers/arrow-values.js';

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('demo data', () => {
  const dir = mkdtempSync(join(tmpdir(), 'demo-data-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('regenerates byte-identical files to the committed ones', () => {
    const files = generateDemoData(dir);
    expect(files).toContain('orders.parquet');
    for (const file of files) expect(sha256(join(dir, file)), file).toBe(sha256(join(DEMO_DATA_DIR, file)));
  });

  it('stays small', () => {
    const total = generateDemoData(dir).reduce((sum, file) => sum + readFileSync(join(dir, file)).length, 0);
    expect(total).toBeLessThan(3 * 1024 * 1024);
  });

  it('has the promised shapes: customers in two formats, 2,000 events over four days', async () => {
    const csv = unifyTables(await collectBatches(readBatches(await demoSource('customers.csv'), 'csv')));
    const jsonl = unifyTables(await collectBatches(readBatches(await demoSource('customers.jsonl'), 'jsonl')));
    expect(csv.numRows).toBe(1000);
    expect(rowsOf(jsonl)).toEqual(rowsOf(csv));
    expect(rowsOf(csv).every((r) => String(r.email).endsWith('@example.com'))).toBe(true);
    let events = 0;
    for (const day of ['01', '02', '03', '04']) {
      events += (await collectBatches(readBatches(await demoSource(`events/2026-09-${day}.jsonl`), 'jsonl'))).reduce((n, t) => n + t.numRows, 0);
    }
    expect(events).toBe(2000);
  });

  it('carries exactly one prompt-injection event for the untrusted-data tests', () => {
    const all = ['01', '02', '03', '04'].map((d) => readFileSync(join(DEMO_DATA_DIR, `events/2026-09-${d}.jsonl`), 'utf8')).join('');
    const hits = all.split('\n').filter((line) => line.includes(INJECTION_TEXT));
    expect(hits).toHaveLength(1);
    expect(JSON.parse(hits[0]!)).toMatchObject({ event_id: 'evt_000777', type: 'search' });
  });
});
