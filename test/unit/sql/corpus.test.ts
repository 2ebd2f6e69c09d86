import { afterAll, describe, expect, it } from 'vitest';
import { guardSql, type GuardedSql } from '../../../src/sql/index.js';
import { isDataMcpError } from '../../../src/results/errors.js';
import type { CorpusCase } from './corpus/case.js';
import { postgresRefusals } from './corpus/postgres-refusals.js';
import { postgresTricks } from './corpus/postgres-tricks.js';
import { postgresReads } from './corpus/postgres-reads.js';
import { bigqueryCases } from './corpus/bigquery.js';
import { writeCases } from './corpus/writes.js';
import { recordFigure } from '../../security/figures.js';

const corpus: CorpusCase[] = [...postgresRefusals, ...postgresTricks, ...postgresReads, ...bigqueryCases, ...writeCases];
const totals = { cases: 0, allowed: 0, refusals: 0, bypasses: 0, wrongOutcome: 0 };

function tableKeys(guarded: GuardedSql): string[] {
  return guarded.tables
    .map((t) => `${[t.database, t.schema, t.name].filter((p) => p !== undefined).join('.')}:${t.access[0]}`)
    .sort();
}

type Outcome = { allowed: GuardedSql } | { refused: { code: string; reason: unknown } };

async function run(c: CorpusCase): Promise<Outcome> {
  try {
    return { allowed: await guardSql(c.sql, c.dialect, { allowWrite: c.allowWrite, defaultSchema: 'public' }) };
  } catch (error) {
    if (!isDataMcpError(error)) throw error; // anything else is a crash, never a refusal
    return { refused: { code: error.code, reason: error.detail?.reason } };
  }
}

const label = (c: CorpusCase) => `${c.dialect}${c.allowWrite ? '+w' : ''}: ${JSON.stringify(c.sql.length > 90 ? c.sql.slice(0, 90) + '…' : c.sql)}`;

describe('SQL guard adversarial corpus', () => {
  it('has at least 150 cases', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(150);
  });

  it.for(corpus.map((c) => [label(c), c] as const))('%s', async ([, c], ctx) => {
    totals.cases++;
    recordFigure(ctx, 'sql guard corpus: cases', 1);
    const outcome = await run(c);
    if (c.reason !== undefined) {
      if ('allowed' in outcome) totals.bypasses++;
      else totals.refusals++;
      recordFigure(ctx, 'sql guard corpus: bypasses', 'allowed' in outcome ? 1 : 0);
      expect(outcome).toEqual({
        refused: { code: c.reason === 'sql_write_not_allowed' ? 'POLICY_DENIED' : 'INVALID_ARGUMENT', reason: c.reason },
      });
      return;
    }
    if ('refused' in outcome) totals.wrongOutcome++;
    else totals.allowed++;
    expect(outcome).toHaveProperty('allowed');
    const guarded = (outcome as { allowed: GuardedSql }).allowed;
    expect(tableKeys(guarded)).toEqual([...(c.tables ?? [])].sort());
    expect(guarded.sql).toBe(c.sql);
    // A statement is read-only exactly when it writes no table; without a grant only those pass.
    expect(guarded.readOnly).toBe(!guarded.tables.some((t) => t.access === 'write'));
    if (!c.allowWrite) expect(guarded.readOnly).toBe(true);
    if (c.params !== undefined) expect(guarded.params).toEqual(c.params);
  });

  afterAll(() => {
    // The totals are the headline of the corpus: every refusal case refused, zero bypasses.
    process.stderr.write(`SQL guard corpus: ${JSON.stringify(totals)}\n`);
    expect(totals.bypasses).toBe(0);
  });
});
