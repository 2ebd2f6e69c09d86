/**
 * Planning a probe (DESIGN §10). `parseSteps` runs in authorize, before any I/O: every step's
 * fields are parsed by its processor and every dataset it names must exist by then.
 * `planSchemas` then walks the steps over source schemas — columns exist, types fit — before
 * the data is fetched, and again over the fetched tables before they are processed.
 */
import type * as arrow from 'apache-arrow';
import type { Processor, StepLimits } from '../engine/processor.js';
import type { ProcessorRegistry } from '../engine/registry.js';
import { DataMcpError, invalidArgument } from '../results/errors.js';
import type { StepSpec } from './spec.js';

export interface ParsedStep {
  /** 1-based, as the agent counts. */
  number: number;
  op: string;
  input: string;
  /** The dataset name this step's output is known by (`as`, or an internal `#n`). */
  output: string;
  references: string[];
  args: { op: string };
  processor: Processor;
}

export interface ParsedProbe {
  steps: ParsedStep[];
  /** The dataset the probe returns: the last step's output, or the first source. */
  result: string;
}

export function parseSteps(steps: readonly StepSpec[], sourceNames: readonly string[], registry: ProcessorRegistry, maxSteps: number): ParsedProbe {
  if (steps.length > maxSteps) throw invalidArgument(`the probe has ${steps.length} steps; the limit is ${maxSteps}`, 'Split the work into several probes (save_as into a session between them).');
  const known = new Set(sourceNames);
  let current = sourceNames[0]!;
  const parsed: ParsedStep[] = [];
  steps.forEach((step, i) => {
    const number = i + 1;
    const { input, as, ...fields } = step;
    const processor = registry.get(step.op);
    if (!processor) {
      throw invalidArgument(`Step ${number}: unknown op "${String(step.op).slice(0, 64)}"`, `Ops: ${[...registry.keys()].join(', ')}.`, { step: number });
    }
    const result = processor.schema.safeParse(fields);
    if (!result.success) {
      const issue = result.error.issues[0];
      const where = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
      throw invalidArgument(`Step ${number} (${step.op}): ${issue?.message ?? 'invalid fields'}${where}`, `${processor.description}`, { step: number, op: step.op });
    }
    const args = result.data;
    const from = input ?? current;
    const references = processor.references?.(args) ?? [];
    for (const name of [from, ...references]) {
      if (!known.has(name)) {
        throw invalidArgument(`Step ${number} (${step.op}): no dataset named "${name}" exists at this point`, `Known so far: ${[...known].filter((k) => !k.startsWith('#')).join(', ')}. Name step outputs with "as" to use them later.`, { step: number, op: step.op });
      }
    }
    if (as !== undefined && known.has(as)) throw invalidArgument(`Step ${number} (${step.op}): "as": "${as}" is already a dataset name`, 'Give each source and named step a distinct name.', { step: number });
    const output = as ?? `#${number}`;
    known.add(output);
    parsed.push({ number, op: step.op, input: from, output, references, args, processor });
    current = output;
  });
  return { steps: parsed, result: current };
}

/** Walks the steps over the given schemas; returns every dataset's schema. Throws naming the step. */
export function planSchemas(probe: ParsedProbe, sources: ReadonlyMap<string, arrow.Schema>, limits: StepLimits): Map<string, arrow.Schema> {
  const schemas = new Map(sources);
  const schemaOf = (name: string): arrow.Schema => {
    const schema = schemas.get(name);
    if (!schema) throw invalidArgument(`no dataset named "${name}"`, 'Name a source or a step output ("as").');
    return schema;
  };
  for (const step of probe.steps) {
    let output: arrow.Schema;
    try {
      output = step.processor.plan(step.args, schemaOf(step.input), { schemaOf, limits });
    } catch (err) {
      // Planning judges the agent's step against the data's shape: a plain Error from a custom
      // processor's plan is the agent's to fix, unlike one thrown while running.
      throw stepError(step, err instanceof Error && !(err instanceof DataMcpError) ? invalidArgument(err.message.slice(0, 500), step.processor.description) : err);
    }
    schemas.set(step.output, output);
  }
  return schemas;
}

export function stepError(step: ParsedStep, err: unknown): DataMcpError {
  const prefix = `Step ${step.number} (${step.op}): `;
  if (err instanceof DataMcpError) {
    if (err.message.startsWith('Step ')) return err;
    return new DataMcpError(err.code, prefix + err.message, err.hint, { ...err.detail, step: step.number, op: step.op });
  }
  // A custom processor's own fault: say which step, keep its text out of the result.
  return new DataMcpError('INTERNAL', `${prefix}the processor failed`, 'The operator can find the cause in the server log.', { step: step.number, op: step.op, cause: err instanceof Error ? err.message : String(err) });
}
