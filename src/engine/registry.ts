/**
 * The processors a probe may name: the built-in ones, then any the operator registered from
 * config (loaded at start from module paths; never from a tool argument). A custom processor
 * cannot replace a built-in op.
 */
import { aggregateProcessor } from './ops/aggregate.js';
import { castProcessor } from './ops/cast.js';
import { deduplicateProcessor } from './ops/deduplicate.js';
import { deriveProcessor } from './ops/derive.js';
import { filterProcessor } from './ops/filter.js';
import { joinProcessor } from './ops/join.js';
import { limitProcessor } from './ops/limit.js';
import { normalizeProcessor } from './ops/normalize.js';
import { renameProcessor } from './ops/rename.js';
import { sampleProcessor } from './ops/sample.js';
import { selectProcessor } from './ops/select.js';
import { sortProcessor } from './ops/sort.js';
import { unionProcessor } from './ops/union.js';
import type { Processor } from './processor.js';
import { configError } from '../results/errors.js';

export const BUILTIN_PROCESSORS: readonly Processor[] = [
  filterProcessor,
  selectProcessor,
  renameProcessor,
  castProcessor,
  deriveProcessor,
  joinProcessor,
  unionProcessor,
  aggregateProcessor,
  deduplicateProcessor,
  normalizeProcessor,
  sortProcessor,
  limitProcessor,
  sampleProcessor,
] as unknown as Processor[];

export type ProcessorRegistry = ReadonlyMap<string, Processor>;

export function processorRegistry(custom: readonly Processor[] = []): ProcessorRegistry {
  const registry = new Map<string, Processor>(BUILTIN_PROCESSORS.map((p) => [p.op, p]));
  // The loader refuses a clash already; this keeps the promise for any other caller too.
  for (const processor of custom) {
    if (registry.has(processor.op)) throw configError(`processor "${processor.op}" is already defined`, 'Give custom processors names of their own; built-in ops cannot be replaced.');
    registry.set(processor.op, processor);
  }
  return registry;
}
