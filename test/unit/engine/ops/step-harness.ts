/**
 * Test harness for the column-shaping processors: builds multi-batch tables (each batch with
 * its own string dictionary), runs a step the way the probe runner does (schema → plan → run)
 * and checks that every output batch has exactly the types `plan` promised.
 */
import * as arrow from 'apache-arrow';
import { expect } from 'vitest';
import { buildFromValues, tableFromColumns, typeName } from '../../../../src/formats/columns.js';
import { unifyTables } from '../../../../src/formats/unify.js';
import type { PlanContext, Processor, RunContext } from '../../../../src/engine/processor.js';
import { sameType } from '../../../../src/engine/ops/column-build.js';
import { isDataMcpError, type DataMcpError } from '../../../../src/results/errors.js';

export type ColumnSpec = [type: arrow.DataType | 'string', values: unknown[]];

/** One Arrow chunk: strings are dictionary-encoded by the format builders, others via vectorFromArray. */
export function chunk(type: arrow.DataType | 'string', values: unknown[]): arrow.Data {
  if (type === 'string') return buildFromValues('string', values.length, (i) => values[i]);
  return arrow.vectorFromArray(values, type).data[0]!;
}

/**
 * A table with one batch per element of `batches`; every batch has the same columns. Give a
 * batch as entries to use names an object literal cannot hold as own keys (`__proto__`).
 */
export function multiBatch(batches: (Record<string, ColumnSpec> | [string, ColumnSpec][])[]): arrow.Table {
  const tables = batches.map((batch) => {
    const entries = Array.isArray(batch) ? batch : Object.entries(batch);
    const names = entries.map(([n]) => n);
    const data = entries.map(([, [type, vals]]) => chunk(type, vals));
    return tableFromColumns(names, data, data[0]?.length ?? 0);
  });
  return unifyTables(tables);
}

export const planCtx: PlanContext = {
  schemaOf: (name) => {
    throw new Error(`no dataset ${name}`);
  },
  limits: { maxRows: 1_000_000 },
};

export function runCtx(signal: AbortSignal = new AbortController().signal): RunContext {
  return {
    tableOf: (name) => {
      throw new Error(`no dataset ${name}`);
    },
    limits: { maxRows: 1_000_000 },
    signal,
  };
}

/** Parses, plans and runs a step; asserts that plan's schema matches every output batch. */
export async function applyStep<S extends { op: string }>(processor: Processor<S>, raw: unknown, input: arrow.Table): Promise<arrow.Table> {
  const step = processor.schema.parse(raw);
  const planned = processor.plan(step, input.schema, planCtx);
  const output = await processor.run(step, input, runCtx());
  expectSchemaMatches(planned, output);
  return output;
}

export function expectSchemaMatches(planned: arrow.Schema, output: arrow.Table): void {
  const describe = (s: arrow.Schema): string[] => s.fields.map((f) => `${f.name}:${typeName(f.type)}`);
  expect(describe(output.schema)).toEqual(describe(planned));
  for (const batch of output.batches) {
    expect(batch.data.children.length).toBe(planned.fields.length);
    planned.fields.forEach((field, i) => {
      const actual = batch.data.children[i]!.type;
      expect(sameType(actual, field.type), `${field.name}: planned ${String(field.type)}, got ${String(actual)}`).toBe(true);
    });
  }
}

/** The DataMcpError a step's parse + plan throws (fails the test when none is thrown). */
export function planError<S extends { op: string }>(processor: Processor<S>, raw: unknown, input: arrow.Schema): DataMcpError {
  try {
    processor.plan(processor.schema.parse(raw), input, planCtx);
  } catch (err) {
    if (isDataMcpError(err)) return err;
    throw err;
  }
  throw new Error('expected plan to fail');
}

/** The DataMcpError a run throws. */
export async function runError<S extends { op: string }>(processor: Processor<S>, raw: unknown, input: arrow.Table): Promise<DataMcpError> {
  const step = processor.schema.parse(raw);
  try {
    processor.plan(step, input.schema, planCtx);
    await processor.run(step, input, runCtx());
  } catch (err) {
    if (isDataMcpError(err)) return err;
    throw err;
  }
  throw new Error('expected run to fail');
}

/** Column values through the Vector API (fine in tests): nulls as null, timestamps as ms. */
export function values(table: arrow.Table, name: string): unknown[] {
  const vector = table.getChild(name);
  if (!vector) throw new Error(`no column ${name}`);
  return Array.from(vector as Iterable<unknown>, (v) => (typeof v === 'bigint' ? Number(v) : v));
}

export function names(table: arrow.Table | arrow.Schema): string[] {
  return (table instanceof arrow.Table ? table.schema : table).fields.map((f) => f.name);
}

/** Three batches, each with its own dictionary: id int32 · price float64 · name text · ok bool · at timestamp. */
export function sales(): arrow.Table {
  const ts = new arrow.TimestampMillisecond();
  const t = (iso: string | null): number | null => (iso === null ? null : Date.parse(iso));
  return multiBatch([
    { id: [new arrow.Int32(), [1, 2]], price: [new arrow.Float64(), [10.5, 20]], name: ['string', ['apple', 'Banana ']], ok: [new arrow.Bool(), [true, false]], at: [ts, [t('2026-09-01T00:00:00Z'), t('2026-09-02T12:00:00Z')]] },
    { id: [new arrow.Int32(), [3, 4]], price: [new arrow.Float64(), [null, 40]], name: ['string', ['cherry', null]], ok: [new arrow.Bool(), [null, true]], at: [ts, [t('2026-09-03T00:00:00Z'), null]] },
    { id: [new arrow.Int32(), [5]], price: [new arrow.Float64(), [50]], name: ['string', ['  apple pie']], ok: [new arrow.Bool(), [false]], at: [ts, [t('2026-12-31T23:59:59Z')]] },
  ]);
}

export function expectInvalid(err: DataMcpError, message: RegExp, hint?: RegExp): void {
  expect(err.code).toBe('INVALID_ARGUMENT');
  expect(err.message).toMatch(message);
  expect(err.hint.length).toBeGreaterThan(10);
  if (hint) expect(err.hint).toMatch(hint);
}
