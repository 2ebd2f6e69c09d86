/**
 * The probe runner (src/probe/execute.ts) fuses a step with the next when only the next reads
 * its output: the answer, the per-step stats and the errors must be those of the steps run one
 * by one (here: each processor run by hand on the previous output).
 */
import type * as arrow from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { processorRegistry } from '../../../../src/engine/registry.js';
import { executeSteps } from '../../../../src/probe/execute.js';
import { parseSteps, planSchemas } from '../../../../src/probe/plan.js';
import type { StepSpec } from '../../../../src/probe/spec.js';
import { DataMcpError } from '../../../../src/results/errors.js';
import { randomRows, RANDOM_SPEC } from '../ops/duck-reference.js';
import { batchedTable, runContext } from '../ops/step-tables.js';
import { expectSameTable } from './same-table.js';

const REGISTRY = processorRegistry();
const facts = batchedTable(RANDOM_SPEC, randomRows(1500, 42), 200);
const dim = batchedTable({ k: 'int32', region: 'string' }, Array.from({ length: 12 }, (_, i) => ({ k: i - 3, region: i % 4 === 0 ? null : `r${i % 3}` })), 5);

async function execute(steps: StepSpec[], maxRows = 1_000_000) {
  const sources = new Map<string, arrow.Table>([
    ['facts', facts],
    ['dim', dim],
  ]);
  const limits = { maxRows };
  const probe = parseSteps(steps, [...sources.keys()], REGISTRY, 20);
  const planned = planSchemas(probe, new Map([...sources].map(([n, t]) => [n, t.schema])), limits);
  return executeSteps(probe, sources, planned, { limits, signal: new AbortController().signal });
}

/** Each step run by hand over the previous output (the reference without any fusion). */
async function oneByOne(steps: StepSpec[]) {
  const ctx = runContext({ facts, dim });
  const outputs: arrow.Table[] = [];
  let table = facts;
  for (const { input: _input, as: _as, ...raw } of steps) {
    const processor = REGISTRY.get(raw.op)!;
    table = await processor.run(processor.schema.parse(raw), table, ctx);
    outputs.push(table);
  }
  return { table, rows: outputs.map((t) => t.numRows) };
}

const FILTER_AGGREGATE: StepSpec[] = [
  { op: 'filter', where: { column: 'v', op: 'gt', value: -100 } },
  { op: 'aggregate', by: ['s'], metrics: [{ fn: 'sum', column: 'v' }, { fn: 'count' }, { fn: 'avg', column: 'i' }] },
];
const JOIN_AGGREGATE: StepSpec[] = [
  { op: 'join', right: 'dim', on: ['k'] },
  { op: 'aggregate', by: ['region'], metrics: [{ fn: 'sum', column: 'v' }, { fn: 'count' }] },
];

describe('executeSteps with fused pairs', () => {
  it.each([
    ['filter → aggregate', FILTER_AGGREGATE],
    ['join → aggregate', JOIN_AGGREGATE],
    ['filter → join → aggregate → sort', [FILTER_AGGREGATE[0]!, ...JOIN_AGGREGATE, { op: 'sort', by: [{ column: 'count', order: 'desc' }] }]],
    ['filter → filter → aggregate', [FILTER_AGGREGATE[0]!, { op: 'filter', where: { column: 'b', op: 'eq', value: true } }, FILTER_AGGREGATE[1]!]],
  ] as [string, StepSpec[]][])('%s: same answer and step stats as one step at a time', async (_name, steps) => {
    const { table, stats } = await execute(steps);
    const reference = await oneByOne(steps);
    expectSameTable(table, reference.table);
    expect(stats.map((s) => [s.step, s.op, s.rows])).toEqual(steps.map((s, i) => [i + 1, s.op, reference.rows[i]]));
  });

  it('keeps a step whose output another step also reads (no fusion): every reader gets it', async () => {
    const steps: StepSpec[] = [
      { op: 'filter', where: { column: 'v', op: 'gt', value: 0 }, as: 'kept' },
      { op: 'aggregate', by: ['s'], metrics: [{ fn: 'count' }] },
      { op: 'union', with: ['kept'], input: 'kept' },
      { op: 'aggregate', by: ['s'], metrics: [{ fn: 'count' }] },
    ];
    const { table, stats } = await execute(steps);
    const kept = await oneByOne([steps[0]!]);
    expect(stats.map((s) => s.rows)).toEqual([kept.table.numRows, expect.any(Number), 2 * kept.table.numRows, table.numRows]);
    const counts = (await oneByOne([steps[0]!, steps[1]!])).table;
    expect(Array.from(table.getChild('count')!, Number)).toEqual(Array.from(counts.getChild('count')!, (c) => 2 * Number(c)));
  });

  it('names the fused first step when its output passes the row ceiling', async () => {
    for (const [steps, op] of [
      [FILTER_AGGREGATE, 'filter'],
      [JOIN_AGGREGATE, 'join'],
    ] as const) {
      const err = await execute(steps, 100).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(DataMcpError);
      expect((err as DataMcpError).code).toBe('LIMIT_EXCEEDED');
      expect((err as DataMcpError).message).toMatch(new RegExp(`^Step 1 \\(${op}\\): `));
    }
  });
});
