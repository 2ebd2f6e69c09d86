/**
 * Fused pairs of steps (issue 5): when a step's output feeds only the next step, some pairs
 * run faster together than apart, because the output in between is never built as a table.
 * `filter → aggregate` copies only the columns the aggregate reads, and only the kept rows;
 * `join → aggregate` grouping by right-side columns sums left values per join key and folds
 * the keys into groups, never building the joined rows. The probe runner (src/probe/execute.ts)
 * asks `fusedPair` for every adjacent pair it may fuse; the answer is the same table the two
 * steps give apart (floats may differ in the last bits: sums are added in another order).
 */
import type * as arrow from 'apache-arrow';
import { filterThenAggregate } from './fused/filter-aggregate.js';
import { joinThenAggregate } from './fused/join-aggregate.js';
import { aggregateProcessor, type AggregateStep } from './ops/aggregate.js';
import { filterProcessor, type FilterStep } from './ops/filter.js';
import { joinProcessor, type JoinStep } from './ops/join.js';
import type { Processor, RunContext } from './processor.js';

/** The first step of a fused pair, run. */
export interface FusedFirst {
  /** Rows the first step produced (what its own run would have returned). */
  rows: number;
  /** The first step's output, when it was built after all (the pair fell back to running apart). */
  table?: arrow.Table;
  /** Runs the second step over the first's output. */
  finish(): arrow.Table | Promise<arrow.Table>;
}

/** Runs the first step of a pair over `input`; its `finish` runs the second. */
export type FusedPair = (input: arrow.Table, ctx: RunContext) => FusedFirst;

export interface FusableStep {
  processor: Processor;
  args: { op: string };
}

/** The fused run of two adjacent steps (the second reading only the first's output), or undefined. */
export function fusedPair(first: FusableStep, second: FusableStep): FusedPair | undefined {
  // By identity: only the built-in processors are fused, whatever a registry names them.
  if (second.processor !== (aggregateProcessor as unknown as Processor)) return undefined;
  const aggregate = second.args as AggregateStep;
  if (first.processor === (filterProcessor as unknown as Processor)) return filterThenAggregate(first.args as FilterStep, aggregate);
  if (first.processor === (joinProcessor as unknown as Processor)) return joinThenAggregate(first.args as JoinStep, aggregate);
  return undefined;
}
