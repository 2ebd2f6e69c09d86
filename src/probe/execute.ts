import type * as arrow from 'apache-arrow';
import type { StepLimits } from '../engine/processor.js';
import { throwIfAborted } from '../results/abort.js';
import { DataMcpError, limitExceeded } from '../results/errors.js';
import { fusedPair } from '../engine/fusion.js';
import { stepError, type ParsedProbe, type ParsedStep } from './plan.js';

export interface ExecuteOptions {
  limits: StepLimits;
  signal: AbortSignal;
  /** Told before each step runs (1-based). */
  onStep?: (number: number, total: number, op: string) => Promise<void>;
}

export interface StepStat {
  step: number;
  op: string;
  rows: number;
  ms: number;
}

/**
 * Runs the planned steps over fetched tables. Each step's output is checked against the row
 * ceiling (custom processors too: they run under the same limits) and against the schema the
 * plan predicted; cancellation is honoured between steps and inside long loops. A step whose
 * output only the next step reads may run fused with it (src/engine/fusion.ts): each still
 * gets its stat (rows, and the time of its own part) and the same checks.
 */
export async function executeSteps(
  probe: ParsedProbe,
  sources: ReadonlyMap<string, arrow.Table>,
  planned: ReadonlyMap<string, arrow.Schema>,
  options: ExecuteOptions,
): Promise<{ table: arrow.Table; stats: StepStat[] }> {
  const tables = new Map(sources);
  const tableOf = (name: string): arrow.Table => {
    const table = tables.get(name);
    if (!table) throw new DataMcpError('INTERNAL', `dataset "${name}" was not computed`, 'Retry; if it persists, report it.');
    return table;
  };
  const stats: StepStat[] = [];
  const finishStep = (step: ParsedStep, output: arrow.Table, started: number): void => {
    checkRows(step, output.numRows, options.limits.maxRows);
    checkPlanned(step.number, step.op, output.schema, planned.get(step.output));
    tables.set(step.output, output);
    stats.push({ step: step.number, op: step.op, rows: output.numRows, ms: Math.round(performance.now() - started) });
  };
  const ctx = { tableOf, limits: options.limits, signal: options.signal };
  for (let i = 0; i < probe.steps.length; i++) {
    const step = probe.steps[i]!;
    const next = probe.steps[i + 1];
    const fused = next && feedsOnly(probe, i) ? fusedPair(step, next) : undefined;
    throwIfAborted(options.signal);
    await options.onStep?.(step.number, probe.steps.length, step.op);
    let started = performance.now();
    if (fused && next) {
      // The pair runs as one: the first step's output is never a table (src/engine/fusion.ts).
      const first = await runStep(step, options.signal, () => fused(tableOf(step.input), ctx));
      checkRows(step, first.rows, options.limits.maxRows);
      if (first.table) checkPlanned(step.number, step.op, first.table.schema, planned.get(step.output));
      stats.push({ step: step.number, op: step.op, rows: first.rows, ms: Math.round(performance.now() - started) });
      throwIfAborted(options.signal);
      await options.onStep?.(next.number, probe.steps.length, next.op);
      started = performance.now();
      finishStep(next, await runStep(next, options.signal, () => first.finish()), started);
      i++;
      continue;
    }
    finishStep(step, await runStep(step, options.signal, () => step.processor.run(step.args, tableOf(step.input), ctx)), started);
  }
  return { table: tableOf(probe.result), stats };
}

/** Runs one step's work, naming the step in any error (a cancellation stays a cancellation). */
async function runStep<T>(step: ParsedStep, signal: AbortSignal, work: () => T | Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    throwIfAborted(signal);
    throw stepError(step, err);
  }
}

function checkRows(step: ParsedStep, rows: number, maxRows: number): void {
  if (rows > maxRows) throw stepError(step, limitExceeded(`the step produced ${rows} rows, over the ceiling of ${maxRows}`, 'Filter or aggregate earlier in the probe.'));
}

/**
 * Whether step `i`'s output is read by step i + 1 as its input and by nothing else (no other
 * step, not as the probe's result), so the pair may run fused.
 */
function feedsOnly(probe: ParsedProbe, i: number): boolean {
  const name = probe.steps[i]!.output;
  if (probe.result === name) return false;
  return probe.steps.every((s, j) => {
    const reads = [s.input, ...s.references].filter((n) => n === name).length;
    return j === i + 1 ? s.input === name && reads === 1 : reads === 0;
  });
}

/** A processor must produce the columns its plan promised: later steps were checked against them. */
function checkPlanned(number: number, op: string, actual: arrow.Schema, expected: arrow.Schema | undefined): void {
  const names = (s: arrow.Schema) => s.fields.map((f) => f.name).join('\u0000');
  if (expected && names(actual) !== names(expected)) {
    throw new DataMcpError('INTERNAL', `Step ${number} (${op}): the processor produced other columns than it planned`, 'The operator can find the cause in the server log.', { step: number, op });
  }
}
