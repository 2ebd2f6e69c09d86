/**
 * Custom processors (issue 5): an operator lists module paths under `probe.processors`; each
 * module exports `processors`, an array of objects shaped like a built-in `Processor`. They are
 * loaded once at start, so a tool argument can never name code to load, and a module that
 * does not fit the contract stops the server with a message naming it (fail closed).
 */
import { pathToFileURL } from 'node:url';
import { configError } from '../results/errors.js';
import type { Processor } from './processor.js';

const OP_NAME = /^[a-z][a-z0-9_]{0,47}$/;

export async function loadCustomProcessors(modules: readonly string[], builtinOps: ReadonlySet<string>): Promise<Processor[]> {
  const loaded: Processor[] = [];
  for (const path of modules) {
    let exported: unknown;
    try {
      exported = ((await import(pathToFileURL(path).href)) as { processors?: unknown }).processors;
    } catch (err) {
      throw configError(`cannot load processor module ${path}: ${err instanceof Error ? err.message : String(err)}`, 'Check probe.processors in the config: each entry is a path to an ES module.');
    }
    if (!Array.isArray(exported)) throw configError(`processor module ${path} does not export a "processors" array`, 'Export `export const processors = [{ op, description, schema, plan, run }]`.');
    for (const candidate of exported) {
      const processor = checkShape(candidate, path);
      if (builtinOps.has(processor.op) || loaded.some((p) => p.op === processor.op)) {
        throw configError(`processor "${processor.op}" in ${path} is already defined`, 'Give custom processors names of their own; built-in ops cannot be replaced.');
      }
      loaded.push(processor);
    }
  }
  return loaded;
}

function checkShape(candidate: unknown, path: string): Processor {
  const p = candidate as Partial<Processor> | null;
  const op = typeof p?.op === 'string' ? p.op : '';
  const where = `processor "${op || '?'}" in ${path}`;
  if (!OP_NAME.test(op)) throw configError(`${where}: "op" must match ${OP_NAME.source}`, 'Use a lowercase snake_case name.');
  if (typeof p?.description !== 'string' || p.description.length === 0) throw configError(`${where}: "description" is missing`, 'Describe the step in one line for the agent.');
  if (typeof (p.schema as { safeParse?: unknown } | undefined)?.safeParse !== 'function') throw configError(`${where}: "schema" is not a zod schema`, 'Use z.strictObject({ op: z.literal(...), ... }) from zod 4.');
  if (typeof p.plan !== 'function' || typeof p.run !== 'function') throw configError(`${where}: "plan" and "run" must be functions`, 'See the Processor contract in the README.');
  return p as Processor;
}
