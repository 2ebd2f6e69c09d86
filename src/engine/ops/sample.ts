/**
 * `{op:'sample', rows? | fraction?, seed?}`: a random subset of rows, kept in input order.
 * - `rows`: exactly that many rows (all of them when the input is smaller), uniformly without
 *   replacement: reservoir sampling, Li's Algorithm L, O(k(1 + log(n/k))) random draws.
 * - `fraction` in (0, 1]: each row independently (Bernoulli), so the count varies around
 *   fraction × rows.
 * Deterministic: the same input, step and seed give the same rows, so results are cacheable.
 * The seed defaults to 42; the generator is mulberry32 (small, fast, well mixed for sampling;
 * not for anything secret).
 */
import { z } from 'zod';
import { invalidArgument } from '../../results/errors.js';
import { takeRows } from '../take.js';
import type { Processor } from '../processor.js';
import { MAX_STEP_ROWS, checkRowCount } from './limit.js';

export const DEFAULT_SAMPLE_SEED = 42;
const MAX_SEED = 2 ** 32 - 1;
const STRETCH = 1 << 16;

export const sampleStepSchema = z.strictObject({
  op: z.literal('sample'),
  rows: z.number().int().min(1).max(MAX_STEP_ROWS).optional().describe('Exactly this many rows (fewer only when the input has fewer). Give rows or fraction, not both.'),
  fraction: z.number().gt(0).max(1).optional().describe('Keep each row with this probability, in (0, 1].'),
  seed: z.number().int().min(0).max(MAX_SEED).optional().describe(`Random seed (default ${DEFAULT_SAMPLE_SEED}); the same seed gives the same sample.`),
});
export type SampleStep = z.infer<typeof sampleStepSchema>;

export const sampleProcessor: Processor<SampleStep> = {
  op: 'sample',
  description: `sample: {op:"sample", rows? | fraction?, seed?} keeps a random subset in input order: exactly \`rows\` rows, or each row with probability \`fraction\` in (0,1]; deterministic (seed default ${DEFAULT_SAMPLE_SEED}).`,
  schema: sampleStepSchema,
  plan(step, input) {
    if ((step.rows === undefined) === (step.fraction === undefined)) {
      const both = step.rows !== undefined;
      throw invalidArgument(`Sample needs exactly one of "rows" or "fraction"${both ? ', not both' : ''}.`, 'Use {"op":"sample","rows":1000} for a fixed count or {"op":"sample","fraction":0.1} for a share.', { rows: step.rows, fraction: step.fraction });
    }
    if (step.rows !== undefined) checkRowCount('rows', step.rows, 1);
    if (step.fraction !== undefined && !(step.fraction > 0 && step.fraction <= 1)) {
      throw invalidArgument(`"fraction" must be above 0 and at most 1, got ${String(step.fraction)}.`, 'Give a share such as 0.1 for 10%; use "rows" for a fixed count.', { fraction: step.fraction });
    }
    if (step.seed !== undefined && !(Number.isInteger(step.seed) && step.seed >= 0 && step.seed <= MAX_SEED)) {
      throw invalidArgument(`"seed" must be a whole number from 0 to ${MAX_SEED}, got ${String(step.seed)}.`, `Omit it for the default seed (${DEFAULT_SAMPLE_SEED}).`, { seed: step.seed });
    }
    return input;
  },
  run(step, input, ctx) {
    const n = input.numRows;
    const random = mulberry32(step.seed ?? DEFAULT_SAMPLE_SEED);
    if (step.rows !== undefined) return step.rows >= n ? input : takeRows(input, reservoir(n, step.rows, random));
    const fraction = step.fraction ?? 1;
    if (fraction >= 1) return input;
    const picked = new Uint32Array(n);
    let count = 0;
    for (let start = 0; start < n; start += STRETCH) {
      ctx.signal.throwIfAborted();
      const end = Math.min(n, start + STRETCH);
      for (let i = start; i < end; i++) if (random() < fraction) picked[count++] = i;
    }
    return takeRows(input, picked.subarray(0, count));
  },
};

/** Seeded PRNG returning [0, 1): mulberry32 (Tommy Ettinger). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `k` of `n` row numbers (k < n), uniformly, ascending: Algorithm L (Li, 1994). */
export function reservoir(n: number, k: number, random: () => number): Uint32Array {
  const chosen = new Uint32Array(k);
  for (let i = 0; i < k; i++) chosen[i] = i;
  const open = (): number => 1 - random(); // (0, 1]: its log is finite
  let w = Math.exp(Math.log(open()) / k);
  let i = k - 1;
  for (;;) {
    i += Math.floor(Math.log(open()) / Math.log1p(-w)) + 1;
    // `!(i < n)` also ends the loop on a degenerate NaN skip rather than spinning.
    if (!(i < n)) break;
    chosen[Math.floor(random() * k)] = i;
    w *= Math.exp(Math.log(open()) / k);
  }
  return chosen.sort();
}
