import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { verifyAuditLog } from '../../../src/audit/verify.js';
import { interpolateEnv } from '../../../src/config/interpolate.js';
import { startHarness, textOf, type CallResult, type Harness } from '../../helpers/harness.js';
import { auditCalls, auditRecords, demoConfig, errorOf, ok } from './support.js';

/** Closes the runtime (final checkpoint), verifies the log, then removes the harness dir. */
async function closeAndVerify(h: Harness): Promise<Awaited<ReturnType<typeof verifyAuditLog>>> {
  await h.client.close();
  await h.runtime.close();
  try {
    return await verifyAuditLog({ path: h.auditPath });
  } finally {
    await h.close();
  }
}

describe('audit log through the tools', () => {
  it('N calls leave exactly N call records with contiguous seqs, and the chain verifies', async () => {
    const h = await startHarness();
    const calls: Array<[string, Record<string, unknown>]> = [
      ['whoami', {}],
      ['list_connectors', {}],
      ['browse', { connector: 'demo' }],
      ['browse', { connector: 'demo' }],
      ['describe', { connector: 'demo', path: 'orders.parquet' }],
      ['read_data', { connector: 'demo', path: 'orders.csv', limit: 5 }],
      ['read_data', { connector: 'demo', path: 'events/*.jsonl', limit: 60 }],
      ['read_data', { connector: 'demo', path: '../etc/passwd' }],
      ['read_data', { connector: 'demo', path: 'missing.csv' }],
      ['no_such_tool', {}],
    ];
    const eventIds: string[] = [];
    for (const [tool, args] of calls) {
      const result = await h.call(tool, args);
      if (result.isError) eventIds.push(errorOf(result).eventId);
    }
    const records = auditRecords(h.auditPath);
    const callRecords = auditCalls(h.auditPath);
    expect(callRecords).toHaveLength(calls.length);
    expect(callRecords.map((r) => r.tool)).toEqual(calls.map(([tool]) => tool));
    const seqs = records.map((r) => r.seq);
    expect(seqs).toEqual(seqs.map((_, i) => (seqs[0] ?? 0) + i));
    for (const id of eventIds) expect(callRecords.filter((r) => r.eventId === id)).toHaveLength(1);
    expect(callRecords.find((r) => r.tool === 'browse' && r.outcome.cache === 'hit')).toBeDefined();
    expect(callRecords.find((r) => r.tool === 'read_data' && r.outcome.rows === 60)?.outcome.status).toBe('ok');
    for (const r of callRecords) expect(r.client).toEqual({ name: 'vitest', version: '1.0.0' });

    const report = await closeAndVerify(h);
    expect(report.ok).toBe(true);
    expect(report.calls).toBe(calls.length);
    expect(report.checkpoints).toBeGreaterThanOrEqual(1);
  });

  it('a registered config secret never appears in results, errors or the audit file', async () => {
    const canary = 'canary-9f3b2c71d4e5a608';
    const env = { CANARY_SECRET: canary, HANDLE_SECRET: 'handle-secret-for-audit-test-0123456789' };
    // Interpolation is what registers ${ENV} values under secret keys with the scrubber.
    const raw = interpolateEnv(
      demoConfig({
        connectors: {
          lake: {
            kind: 's3',
            buckets: ['canary-bucket'],
            endpoint: 'http://127.0.0.1:9',
            force_path_style: true,
            credentials: { access_key_id: 'CANARYKEYID', secret_access_key: '${CANARY_SECRET}' },
          },
        },
        extra: { server: { env: 'dev', handle_secret: '${HANDLE_SECRET}', limits: { call_timeout_ms: 5000 } } },
      }),
      env,
    ) as Record<string, unknown>;
    const h = await startHarness({ config: raw, env });
    const results: CallResult[] = [];
    const calls: Array<[string, Record<string, unknown>]> = [
      ['whoami', {}],
      ['list_connectors', {}],
      ['browse', { connector: 'lake' }],
      ['browse', { connector: 'lake', path: `canary-bucket/${canary}/` }],
      ['read_data', { connector: 'demo', path: `${canary}.csv` }],
      ['read_data', { connector: 'demo', path: `${canary}/*.csv` }],
      ['describe', { connector: 'demo', path: `x/${canary}.parquet` }],
      ['browse', { connector: 'demo', path: `${canary}/` }],
      ['read_data', { connector: 'demo', path: 'orders.csv', filter: { column: 'status', op: 'eq', value: canary } }],
      ['read_data', { connector: 'demo', path: 'orders.csv', columns: [canary] }],
      ['read_data', { connector: 'demo', path: 'orders.csv', [canary]: canary }],
      ['browse', { connector: 'demo', cursor: canary }],
      [canary, { secret: canary }],
    ];
    for (const [tool, args] of calls) results.push(await h.call(tool, args));
    await expect(h.client.readResource({ uri: `result://${canary}` })).rejects.toThrow(/INVALID_ARGUMENT/);

    for (const result of results) {
      expect(JSON.stringify(result)).not.toContain(canary);
      expect(textOf(result)).not.toContain(canary);
    }
    expect(results.filter((r) => r.isError).length).toBeGreaterThanOrEqual(8);
    // The canary did reach places that echo input; it was scrubbed there, not merely absent.
    expect(results.some((r) => textOf(r).includes('[REDACTED]'))).toBe(true);
    const bytes = readFileSync(h.auditPath);
    expect(bytes.includes(canary)).toBe(false);
    expect(bytes.includes('[REDACTED]')).toBe(true);
    expect(bytes.includes('handle-secret-for-audit-test')).toBe(false);
    expect(auditCalls(h.auditPath)).toHaveLength(calls.length + 1);
    expect(ok(results[0] as CallResult).serviceAccount).toBe('reader-sa');
    const report = await closeAndVerify(h);
    expect(report.ok).toBe(true);
  });
});
