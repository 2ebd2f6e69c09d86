import type * as arrow from 'apache-arrow';
import type { StepLimits } from '../engine/processor.js';
import { throwIfAborted } from '../results/abort.js';
import { DataMcpError, limitExceeded } from '../results/errors.js';
import { stepError, type ParsedProbe } from './plan.js';

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
 * plan predicted; cancellation is honoured between steps and inside long loops.
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
  for (const step of probe.steps) {
    throwIfAborted(options.signal);
    await options.onStep?.(step.number, probe.steps.length, step.op);
    const started = performance.now();
    let output: arrow.Table;
    try {
      output = await step.processor.run(step.args, tableOf(step.input), { tableOf, limits: options.limits, signal: options.signal });
    } catch (err) {
      throwIfAborted(options.signal);
      throw stepError(step, err);
    }
    if (output.numRows > options.limits.maxRows) {
      throw stepError(step, limitExceeded(`the step produced ${output.numRows} rows, over the ceiling of ${options.limits.maxRows}`, 'Filter or aggregate earlier in the probe.'));
    }
    checkPlanned(step.number, step.op, output.schema, planned.get(step.output));
    tables.set(step.output, output);
    stats.push({ step: step.number, op: step.op, rows: output.numRows, ms: Math.round(performance.now() - started) });
  }
  return { table: tableOf(probe.result), stats };
}

/** A processor must produce the columns its plan promised: later steps were checked against them. */
function checkPlanned(number: number, op: string, actual: arrow.Schema, expected: arrow.Schema | undefined): void {
  const names = (s: arrow.Schema) => s.fields.map((f) => f.name).join('\u0000');
  if (expected && names(actual) !== names(expected)) {
    throw new DataMcpError('INTERNAL', `Step ${number} (${op}): the processor produced other columns than it planned`, 'The operator can find the cause in the server log.', { step: number, op });
  }
}
