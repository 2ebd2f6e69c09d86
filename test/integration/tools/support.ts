import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import type { CallRecord } from '../../../src/audit/record.js';
import { BUNDLED_DEMO_DATA_DIR } from '../../../src/config/paths.js';
import { errorCode, textOf, type CallResult } from '../../helpers/harness.js';

/** Shared pieces of the tool integration tests: configs, audit reading, error access. */

export const HS256_SECRET = 'tools-integration-hs256-secret-0123456789abcdef';

export interface ErrorMeta {
  code: string;
  message: string;
  hint: string;
  eventId: string;
}

/** The `_meta["data-mcp/error"]` of an error result; fails the test when the call succeeded. */
export function errorOf(result: CallResult): ErrorMeta {
  expect(result.isError, `expected an error, got: ${textOf(result).slice(0, 300)}`).toBe(true);
  const meta = result._meta?.['data-mcp/error'] as ErrorMeta | undefined;
  if (!meta) throw new Error('error result without _meta["data-mcp/error"]');
  return meta;
}

/** Asserts success and returns structuredContent. */
export function ok(result: CallResult): Record<string, unknown> {
  expect(result.isError, `expected success, got ${errorCode(result)}: ${textOf(result).slice(0, 400)}`).toBeFalsy();
  if (!result.structuredContent) throw new Error('success without structuredContent');
  return result.structuredContent;
}

export function auditRecords(path: string): Array<Record<string, unknown> & { type: string; seq: number }> {
  const text = readFileSync(path, 'utf8');
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown> & { type: string; seq: number });
}

export function auditCalls(path: string): CallRecord[] {
  return auditRecords(path).filter((r) => r.type === 'call') as unknown as CallRecord[];
}

/** The call record of one event id (exactly one must exist). */
export function auditFor(path: string, eventId: string): CallRecord {
  const found = auditCalls(path).filter((r) => r.eventId === eventId);
  expect(found).toHaveLength(1);
  return found[0] as CallRecord;
}

/** A raw config: the demo folder as connector `demo`, with the given auth section and extras. */
export function demoConfig(options: { auth?: Record<string, unknown>; annotations?: Record<string, Record<string, string>>; extra?: Record<string, unknown>; connectors?: Record<string, unknown> } = {}): Record<string, unknown> {
  return {
    server: { env: 'dev', toolsets: ['catalog', 'data'] },
    auth: options.auth ?? {
      mode: 'none',
      default_service_account: 'reader-sa',
      service_accounts: [{ id: 'reader-sa', roles: ['reader'], attributes: { department: 'analytics' } }],
    },
    connectors: {
      demo: { kind: 'local', root: BUNDLED_DEMO_DATA_DIR, annotations: options.annotations ?? { '': { classification: 'public' } } },
      ...(options.connectors ?? {}),
    },
    ...(options.extra ?? {}),
  };
}

export { BUNDLED_DEMO_DATA_DIR };
