import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, textOf, type CallResult, type Harness } from '../../../helpers/harness.js';
import { createTestSchemas, pgConfig, type TestSchemas } from '../../../helpers/postgres.js';
import { boundaryProblems } from './boundary.js';
import { assertUniqueIds, rows } from './case.js';
import { FAKE_NONCES, INJECTION_CASES, isFileName, PAYLOADS, type InjectionInput } from './injection-cases.js';
import { attack, recordCase } from './verdict.js';

/**
 * Prompt injection inside returned data: every payload is planted in a CSV cell, a CSV header, a
 * file name, a PostgreSQL value and a PostgreSQL key column name, then read back through the
 * real tools. Whatever the surface, the payload must sit inside the call's one real
 * untrusted-data boundary, unable to close it, to add lines, or to appear outside it.
 */
let base: string;
let db: TestSchemas;
let h: Harness;

const quoteCsv = (text: string) => `"${text.replace(/"/g, '""')}"`;
const quoteIdent = (text: string) => `"${text.replace(/"/g, '""')}"`;

async function plant(): Promise<void> {
  base = mkdtempSync(join(tmpdir(), 'data-mcp-adv-inj-'));
  const s = db.schema();
  await db.admin.query(`CREATE TABLE "${s}".notes (k int, body text)`);
  for (const [i, p] of PAYLOADS.entries()) {
    writeFileSync(join(base, `rows-${i}.csv`), `id,note\n1,${quoteCsv(p.text)}\n`);
    writeFileSync(join(base, `header-${i}.csv`), `id,${quoteCsv(p.text)}\n1,x\n`);
    if (isFileName(p.text)) {
      mkdirSync(join(base, `names-${i}`));
      writeFileSync(join(base, `names-${i}`, `${p.text}.csv`), 'id\n1\n');
    }
    await db.admin.query(`INSERT INTO "${s}".notes VALUES ($1, $2)`, [i, p.text]);
    await db.admin.query(`CREATE TABLE "${s}".keyed_${i} (${quoteIdent(p.text)} int PRIMARY KEY, v text)`);
  }
}

/** The call for a surface, and how many lines its framed block must have. */
function callFor(input: InjectionInput): { tool: string; args: Record<string, unknown>; lines: (r: CallResult) => number | undefined } {
  const i = input.payload;
  const rowsOf = (r: CallResult) => 1 + Number(r.structuredContent?.returnedRows ?? 0);
  switch (input.surface) {
    case 'read-cell':
      return { tool: 'read_data', args: { connector: 'files', path: `rows-${i}.csv` }, lines: rowsOf };
    case 'read-header':
      return { tool: 'read_data', args: { connector: 'files', path: `header-${i}.csv` }, lines: rowsOf };
    case 'describe-column':
      return { tool: 'describe', args: { connector: 'files', path: `header-${i}.csv` }, lines: (r) => 1 + (r.structuredContent?.columns as unknown[]).length };
    case 'summarize-value':
      return { tool: 'summarize', args: { connector: 'files', path: `rows-${i}.csv` }, lines: rowsOf };
    case 'browse-name':
      return { tool: 'browse', args: { connector: 'files', path: `names-${i}/` }, lines: (r) => 1 + (r.structuredContent?.entries as unknown[]).length };
    case 'query-cell':
      return { tool: 'query', args: { connector: 'db', sql: `SELECT body FROM "${db.schema()}".notes WHERE k = :k`, params: { k: i } }, lines: rowsOf };
    case 'query-error':
      return { tool: 'query', args: { connector: 'db', sql: `SELECT body::int FROM "${db.schema()}".notes WHERE k = :k`, params: { k: i } }, lines: () => 1 };
    case 'describe-key':
      return { tool: 'describe', args: { connector: 'db', path: `${db.schema()}/keyed_${i}` }, lines: (r) => 1 + (r.structuredContent?.columns as unknown[]).length };
  }
}

beforeAll(async () => {
  db = await createTestSchemas(['']);
  await plant();
  h = await startHarness({
    config: {
      server: { env: 'dev', toolsets: ['catalog', 'data'] },
      auth: { mode: 'none', default_service_account: 'agent', service_accounts: [{ id: 'agent', roles: ['reader'] }] },
      connectors: { files: { kind: 'local', root: base }, db: pgConfig({ schemas: [db.schema()] }) },
    },
  });
});

afterAll(async () => {
  await h?.close();
  await db?.drop();
  if (base) rmSync(base, { recursive: true, force: true });
});

describe('adversarial corpus: prompt injection inside returned data', () => {
  assertUniqueIds(INJECTION_CASES);

  it.for(rows(INJECTION_CASES))('%s', async ([, c], context) => {
    const { tool, args, lines } = callFor(c.input);
    const { result, verdict } = await attack(h, c, tool, args);
    const payload = PAYLOADS[c.input.payload]!;
    const text = textOf(result);
    const escaped = boundaryProblems(text, { marker: payload.marker, fakeNonces: FAKE_NONCES, lines: lines(result), atEnd: !result.isError });
    // Errors carry the same text in _meta for programmatic clients; it must be framed there too.
    const meta = result._meta?.['data-mcp/error'] as { message?: string } | undefined;
    if (meta?.message) escaped.push(...boundaryProblems(meta.message, { marker: payload.marker, fakeNonces: FAKE_NONCES, lines: 1, atEnd: false }).map((p) => `_meta message: ${p}`));
    const bypass = verdict.bypass || escaped.length > 0;
    recordCase(context, c, bypass);
    expect([...verdict.problems, ...escaped]).toEqual([]);
  });
});
