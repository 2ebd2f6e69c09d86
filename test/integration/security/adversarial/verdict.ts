import { tmpdir } from 'node:os';
import type { TestContext } from 'vitest';
import { PACKAGE_ROOT } from '../../../../src/config/paths.js';
import { ERROR_CODES } from '../../../../src/results/errors.js';
import { textOf, type CallResult, type Harness } from '../../../helpers/harness.js';
import { recordFigure } from '../../../security/figures.js';
import { auditCalls } from '../../tools/support.js';
import { expectedCode, type AdversarialCase } from './case.js';

/**
 * The one judge of a tool call in the corpus. A *bypass* is an attack that got somewhere: a
 * refusal that did not happen, a crash (INTERNAL, a stack frame), an error without a stable
 * code, or a secret in the output. A *problem* is anything that fails the case (a bypass, the
 * wrong code, a missing audit record); category tests add their own effect checks on top
 * (nothing written, no rows outside the grant, the boundary intact).
 */
export interface Verdict {
  bypass: boolean;
  problems: string[];
  /** The error code the call came back with, if it failed. */
  code?: string;
  eventId?: string;
}

const STABLE: ReadonlySet<string> = new Set(ERROR_CODES.filter((c) => c !== 'INTERNAL'));

/** Stack frames, source locations, validator internals and host paths never reach the agent. */
function leaks(everything: string, secrets: readonly string[]): string[] {
  const found: string[] = [];
  if (/\n\s+at \S+ \(/.test(everything) || /\.(ts|js|mjs|cjs):\d+/.test(everything)) found.push('a stack frame');
  if (/ZodError|RangeError|TypeError|SyntaxError: /.test(everything)) found.push('a raw exception name');
  if (everything.includes(PACKAGE_ROOT)) found.push('the package path');
  if (everything.includes(tmpdir() + '/')) found.push('a host temp path');
  for (const secret of secrets) if (everything.includes(secret)) found.push(`the secret ${secret.slice(0, 4)}…`);
  return found;
}

export function judgeCall(h: Harness, c: AdversarialCase<unknown>, result: CallResult, secrets: readonly string[] = []): Verdict {
  const problems: string[] = [];
  let bypass = false;
  const want = expectedCode(c);
  const meta = result._meta?.['data-mcp/error'] as { code?: string; eventId?: string; hint?: string } | undefined;
  const everything = `${textOf(result)}\n${JSON.stringify(result.structuredContent ?? {})}\n${JSON.stringify(result._meta ?? {})}`;
  for (const leak of leaks(everything, secrets)) {
    bypass = true;
    problems.push(`output leaks ${leak}`);
  }
  if (result.isError) {
    const code = meta?.code;
    if (code === undefined || !STABLE.has(code)) {
      bypass = true;
      problems.push(`error without a stable code (${code ?? 'none'})`);
    } else if (want === undefined) {
      problems.push(`expected success, got ${code}: ${textOf(result).slice(0, 200)}`);
    } else if (code !== want) {
      problems.push(`expected ${want}, got ${code}: ${textOf(result).slice(0, 200)}`);
    }
    if (!meta?.hint || meta.hint.length < 10) problems.push('error without a usable hint');
    if (meta?.eventId) {
      const records = auditCalls(h.auditPath).filter((r) => r.eventId === meta.eventId);
      if (records.length !== 1) problems.push(`expected one audit record for ${meta.eventId}, found ${records.length}`);
      else if (records[0]!.outcome.errorCode !== code) problems.push(`audit record says ${String(records[0]!.outcome.errorCode)}, the agent saw ${code}`);
    } else {
      problems.push('error without an event id');
    }
    return { bypass, problems, ...(code ? { code } : {}), ...(meta?.eventId ? { eventId: meta.eventId } : {}) };
  }
  if (want !== undefined) {
    bypass = true;
    problems.push(`expected ${want}, but the call succeeded: ${textOf(result).slice(0, 200)}`);
  }
  return { bypass, problems };
}

/**
 * Calls a tool as the case's attack and judges it; also checks that exactly one audit record
 * was added (every mediated request, allowed or not, is audited).
 */
export async function attack(
  h: Harness,
  c: AdversarialCase<unknown>,
  tool: string,
  args: Record<string, unknown>,
  options: { meta?: Record<string, unknown>; secrets?: readonly string[] } = {},
): Promise<{ result: CallResult; verdict: Verdict }> {
  const before = auditCalls(h.auditPath).length;
  const result = await h.call(tool, args, options.meta);
  const verdict = judgeCall(h, c, result, options.secrets);
  const added = auditCalls(h.auditPath).length - before;
  if (added !== 1) verdict.problems.push(`expected one new audit record, found ${added}`);
  return { result, verdict };
}

/** The figures every case records (see test/security/figures.ts). */
export function recordCase(context: Pick<TestContext, 'task'>, c: AdversarialCase<unknown>, bypass: boolean): void {
  recordFigure(context, 'adversarial: cases', 1);
  recordFigure(context, `adversarial: ${c.category} cases`, 1);
  recordFigure(context, 'adversarial: bypasses', bypass ? 1 : 0);
}
