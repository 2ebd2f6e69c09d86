/**
 * The processor contract (DESIGN §10). A probe step is data: `{ op, ...fields }`. Each op is one
 * stateless processor that first *plans* (checks the step against the input schema and says
 * what schema comes out, touching no data) and then *runs* over Arrow tables on their raw
 * buffers. The probe runner plans every step before any source is fetched, so a bad column, a
 * type that does not fit or an expression that does not parse fails early with the step named.
 *
 * Processors never see the step's routing fields (`input`, `as`): the runner handles those.
 */
import type * as arrow from 'apache-arrow';
import type { z } from 'zod';

/** Ceilings every processor honours (the runner takes them from `server.limits`). */
export interface StepLimits {
  /** Most rows any step may produce (a join that would explode past it fails). */
  maxRows: number;
}

export interface PlanContext {
  /** Schema of another named dataset (a source, or an earlier step's `as`), for join/union. */
  schemaOf(name: string): arrow.Schema;
  limits: StepLimits;
}

export interface RunContext {
  /** Another named dataset, already computed. */
  tableOf(name: string): arrow.Table;
  limits: StepLimits;
  /** Aborted when the call is cancelled: long loops check `signal.aborted` now and then. */
  signal: AbortSignal;
}

export interface Processor<S extends { op: string } = { op: string }> {
  op: S['op'];
  /** One line for the tool description (the agent reads it): what the step does and its fields. */
  description: string;
  /** Strict zod object with `op: z.literal(op)`; bounded sizes (lists, strings, depth). */
  schema: z.ZodType<S>;
  /** Other datasets the step reads besides its input (join's `right`, union's `with`). */
  references?(step: S): string[];
  /**
   * Checks the step against its input schema and returns the output schema. Throws
   * `invalidArgument(message, hint, detail)` (src/results/errors.ts) naming the column and the
   * choices; the runner prefixes the step number and op. Never reads data.
   */
  plan(step: S, input: arrow.Schema, ctx: PlanContext): arrow.Schema;
  /** Produces the output table; its schema must equal what `plan` returned (names and types). */
  run(step: S, input: arrow.Table, ctx: RunContext): arrow.Table | Promise<arrow.Table>;
}
