import type { Context } from './cedar.js';
import type { AuthzContext } from './types.js';

export const CONTEXT_FIELDS = ['env', 'now', 'hour', 'tool', 'agent'] as const;
export type ContextField = (typeof CONTEXT_FIELDS)[number];

export interface BuiltContext {
  /** What Cedar evaluates. */
  cedar: Context;
  /** The part of the memo key that this context contributes. */
  key: string;
}

/**
 * Builds the Cedar context of a request from what the server computed (never the agent).
 *
 * Only fields some policy text names are passed to Cedar and put in the memo key. Cedar has
 * no dynamic attribute access (a field is read only by writing its name: `context.now`,
 * `context has now`, `context["now"]`), so a field whose name appears in no policy text cannot
 * change a decision — leaving it out keeps the memo key stable and spares Cedar from parsing
 * a datetime extension value on every call. Strict validation at load still checks policies
 * against the full context type of the schema.
 *
 * `now` is truncated to the minute, both in the key and in what policies see, so a memoized
 * decision and a fresh one always agree; time-of-day rules are minute-grained by design.
 */
export class ContextBuilder {
  private readonly fields: ContextField[];

  constructor(isReferenced: (name: string) => boolean) {
    this.fields = CONTEXT_FIELDS.filter((f) => isReferenced(f));
  }

  get referencedFields(): readonly ContextField[] {
    return this.fields;
  }

  build(ctx: AuthzContext): BuiltContext {
    const millis = ctx.now.getTime();
    if (!Number.isFinite(millis)) throw new Error('context.now is not a valid date');
    const cedarContext: Context = {};
    const keyParts: Array<string | number> = [];
    for (const field of this.fields) {
      switch (field) {
        case 'now': {
          const minute = Math.floor(millis / 60_000) * 60_000;
          cedarContext['now'] = { __extn: { fn: 'datetime', arg: new Date(minute).toISOString() } };
          keyParts.push(minute);
          break;
        }
        case 'hour': {
          const hour = ctx.now.getUTCHours();
          cedarContext['hour'] = hour;
          keyParts.push(hour);
          break;
        }
        default:
          cedarContext[field] = ctx[field];
          keyParts.push(ctx[field]);
      }
    }
    return { cedar: cedarContext, key: JSON.stringify(keyParts) };
  }
}

/** The full context (every field, untruncated `now`), for the load-time schema conformance check. */
export function fullCedarContext(ctx: AuthzContext): Context {
  return {
    env: ctx.env,
    now: { __extn: { fn: 'datetime', arg: ctx.now.toISOString() } },
    hour: ctx.now.getUTCHours(),
    tool: ctx.tool,
    agent: ctx.agent,
  };
}
