import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import type { CallResult, Harness } from '../../helpers/harness.js';
import { createTestSchemas, type TestSchemas } from '../../helpers/postgres.js';
import { startRedisServer, type PrivateRedis } from '../../helpers/redis-server.js';
import { recordFigure } from '../../security/figures.js';
import { auditCalls, auditFor, errorOf, ok } from '../tools/support.js';
import { principal, startIsolationServers, tamperedHandles, type Principal } from './isolation-setup.js';

/**
 * Isolation (issue #6): two principals with different grants never share a cache entry, a
 * session, a result handle or a cursor — even on two servers sharing one Redis and one handle
 * secret — and a tampered or foreign handle is refused with a stable code and audited.
 */
let redis: PrivateRedis;
let a: Harness;
let b: Harness;
let alice: Principal;
let bob: Principal;
let db: TestSchemas;

beforeAll(async () => {
  redis = await startRedisServer();
  db = await createTestSchemas();
  await db.admin.query(`CREATE TABLE "${db.schema()}".items AS SELECT g AS id, 'item ' || g AS name FROM generate_series(1, 150) g`);
  ({ a, b } = await startIsolationServers(redis, db.schema()));
  [alice, bob] = await Promise.all([principal('alice'), principal('bob')]);
});

afterAll(async () => {
  await a?.close();
  await b?.close();
  await redis?.stop();
  await db?.drop();
});

/** Counts a cross-principal attempt; a success is a leak (asserted zero by the caller). */
function attempts(ctx: TestContext, figure = 'isolation: cross-principal attempts') {
  let tried = 0;
  let leaks = 0;
  return {
    refused(result: CallResult, code: string): CallResult {
      tried++;
      if (!result.isError) leaks++;
      expect(errorOf(result).code).toBe(code);
      return result;
    },
    refusedRead(read: Awaited<ReturnType<Principal['read']>>, code: string) {
      tried++;
      if (read.ok) leaks++;
      expect(read.ok ? 'ok' : read.code).toBe(code);
      return read;
    },
    /** A look that returned normally: `leaked` says whether it showed the other principal's thing. */
    observed(leaked: boolean) {
      tried++;
      if (leaked) leaks++;
      expect(leaked).toBe(false);
    },
    done() {
      recordFigure(ctx, figure, tried);
      recordFigure(ctx, 'isolation: leaks', leaks);
      expect(leaks).toBe(0);
    },
  };
}

describe('cache entries', () => {
  it('the same call by bob after alice is decided for bob: denied where he lacks the grant, his own entry where he has it', async (ctx) => {
    const tally = attempts(ctx);
    const restricted = { connector: 'demo', path: 'events/*.jsonl', limit: 20 };
    expect(ok(await alice.call(a, 'read_data', restricted)).cache).toBe('miss');
    // The entry really is shared between the servers: alice's second call is a hit on server b.
    expect(ok(await alice.call(b, 'read_data', restricted)).cache).toBe('hit');
    for (const h of [a, b]) {
      const denied = tally.refused(await bob.call(h, 'read_data', restricted), 'POLICY_DENIED');
      const record = auditFor(h.auditPath, errorOf(denied).eventId);
      expect(record.principal?.sa).toBe('bob');
      expect(record.decision.result).toBe('deny');
      expect(record.outcome).toMatchObject({ status: 'denied', errorCode: 'POLICY_DENIED' });
      expect(record.outcome.cache).toBeUndefined();
    }
    for (const [tool, args] of [['browse', { connector: 'demo', path: 'events/' }], ['describe', { connector: 'demo', path: 'events/2026-09-01.jsonl' }], ['summarize', { connector: 'demo', path: 'events/2026-09-02.jsonl' }]] as const) {
      ok(await alice.call(a, tool, args));
      tally.refused(await bob.call(b, tool, args), 'POLICY_DENIED');
    }
    // Both may read public data: bob never gets alice's entry, only his own.
    const open = { connector: 'demo', path: 'orders.csv', limit: 4 };
    expect(ok(await alice.call(a, 'read_data', open)).cache).toBe('miss');
    expect(ok(await bob.call(b, 'read_data', open)).cache).toBe('miss');
    expect(ok(await bob.call(a, 'read_data', open)).cache).toBe('hit');
    const bobRecords = auditCalls(a.auditPath).filter((r) => r.principal?.sa === 'bob' && r.tool === 'read_data' && r.outcome.status === 'ok');
    expect(bobRecords.at(-1)?.decision.result).toBe('allow');
    tally.done();
  });
});

describe('sessions', () => {
  it('bob cannot get, put, list, close or probe alice\'s session: the same NOT_FOUND as an id that never existed', async (ctx) => {
    const tally = attempts(ctx);
    const id = (ok(await alice.call(a, 'session_create', { label: 'alice only' })).session as { id: string }).id;
    ok(await alice.call(a, 'session_put', { session: id, key: 'secret', value: 'alice-value' }));
    ok(await alice.call(a, 'run_probe', { sources: { o: { connector: 'demo', path: 'events/2026-09-03.jsonl', limit: 5 } }, save_as: { session: id, dataset: 'ev' } }));
    const never = 's_' + 'Q'.repeat(22);
    const attemptsOn = (session: string): Array<[string, Record<string, unknown>]> => [
      ['session_get', { session, key: 'secret' }],
      ['session_get', { session, dataset: 'ev' }],
      ['session_put', { session, key: 'secret', value: 'bob-was-here' }],
      ['run_probe', { sources: { s: { session, dataset: 'ev' } } }],
      ['session_close', { session }],
    ];
    for (const h of [a, b]) {
      for (const [[tool, args], [, neverArgs]] of attemptsOn(id).map((x, i) => [x, attemptsOn(never)[i]!] as const)) {
        const foreign = errorOf(tally.refused(await bob.call(h, tool, args), 'NOT_FOUND'));
        const unknown = errorOf(await bob.call(h, tool, neverArgs));
        // Indistinguishable: the answer says nothing about whether the session exists.
        expect({ code: foreign.code, message: foreign.message, hint: foreign.hint }).toEqual({ code: unknown.code, message: unknown.message, hint: unknown.hint });
        expect(auditFor(h.auditPath, foreign.eventId).outcome).toMatchObject({ status: 'failed', errorCode: 'NOT_FOUND' });
      }
      const listed = ok(await bob.call(h, 'session_list')).sessions as Array<{ id: string }>;
      tally.observed(listed.some((s) => s.id === id));
    }
    // Alice's session is untouched, and hers on either server.
    expect(ok(await alice.call(b, 'session_get', { session: id, key: 'secret' })).value).toBe('alice-value');
    expect((ok(await alice.call(b, 'session_list')).sessions as Array<{ id: string }>).map((s) => s.id)).toEqual([id]);
    tally.done();
  });
});

describe('result handles', () => {
  it('bob cannot read alice\'s handle, nor use it as a probe source; tampered handles are refused for alice too; all audited', async (ctx) => {
    const tally = attempts(ctx);
    const read = ok(await alice.call(a, 'read_data', { connector: 'demo', path: 'events/*.jsonl', limit: 120 }));
    const handle = read.handle as string;
    expect(read.truncated).toBe(true);
    // The owner reads it on either server (shared store, shared secret): the binding is to her.
    for (const h of [a, b]) expect(await alice.read(h, `${handle}?offset=60&limit=5`)).toMatchObject({ ok: true, body: { offset: 60 } });
    for (const h of [a, b]) {
      const refused = tally.refusedRead(await bob.read(h, `${handle}?offset=0&limit=5`), 'INVALID_ARGUMENT');
      expectAuditedRefusal(h, refused, 'bob');
      tally.refused(await bob.call(h, 'run_probe', { sources: { r: { result: handle } } }), 'INVALID_ARGUMENT');
    }
    const forgedTally = attempts(ctx, 'isolation: tampered handles and cursors refused');
    for (const [what, forged] of tamperedHandles(handle)) {
      for (const [who, h] of [[alice, a], [bob, b]] as const) {
        const refused = forgedTally.refusedRead(await who.read(h, forged), 'INVALID_ARGUMENT');
        expect(refused.ok, what).toBe(false);
        expectAuditedRefusal(h, refused, who.name);
      }
    }
    tally.done();
    forgedTally.done();
  });
});

describe('live result handles (a warehouse cursor held in the process)', () => {
  it('bob cannot page alice\'s live query handle, on the server that holds the cursor or another', async (ctx) => {
    const tally = attempts(ctx);
    const result = ok(await alice.call(a, 'query', { connector: 'pg', sql: `SELECT id, name FROM "${db.schema()}".items ORDER BY id` }));
    expect(result.complete).toBe(false);
    const handle = result.handle as string;
    expect(await alice.read(a, `${handle}?offset=100&limit=10`)).toMatchObject({ ok: true, body: { offset: 100, rows: expect.any(Array) } });
    for (const h of [a, b]) expectAuditedRefusal(h, tally.refusedRead(await bob.read(h, `${handle}?offset=100&limit=10`), 'INVALID_ARGUMENT'), 'bob');
    const forgedTally = attempts(ctx, 'isolation: tampered handles and cursors refused');
    for (const [, forged] of tamperedHandles(handle)) expectAuditedRefusal(a, forgedTally.refusedRead(await alice.read(a, forged), 'INVALID_ARGUMENT'), 'alice');
    tally.done();
    forgedTally.done();
  });
});

describe('paging cursors', () => {
  it('bob cannot page alice\'s browse cursor; a tampered cursor is refused; alice pages on either server', async (ctx) => {
    const tally = attempts(ctx);
    const first = ok(await alice.call(a, 'browse', { connector: 'demo', path: '', limit: 2 }));
    const cursor = first.nextCursor as string;
    expect(cursor).toEqual(expect.any(String));
    const next = ok(await alice.call(b, 'browse', { connector: 'demo', path: '', limit: 2, cursor }));
    expect((next.entries as unknown[]).length).toBeGreaterThan(0);
    const [body = '', sig = ''] = cursor.split('.');
    const variants = [cursor, `${body.slice(0, -1)}${body.endsWith('A') ? 'B' : 'A'}.${sig}`, `${body}.${sig.slice(0, 4)}`, body];
    for (const h of [a, b]) {
      for (const variant of variants) {
        const refused = errorOf(tally.refused(await bob.call(h, 'browse', { connector: 'demo', path: '', limit: 2, cursor: variant }), 'INVALID_ARGUMENT'));
        const record = auditFor(h.auditPath, refused.eventId);
        expect(record.principal?.sa).toBe('bob');
        expect(record.outcome).toMatchObject({ status: 'invalid', errorCode: 'INVALID_ARGUMENT' });
      }
    }
    const forgedTally = attempts(ctx, 'isolation: tampered handles and cursors refused');
    for (const variant of variants.slice(1)) forgedTally.refused(await alice.call(a, 'browse', { connector: 'demo', path: '', limit: 2, cursor: variant }), 'INVALID_ARGUMENT');
    tally.done();
    forgedTally.done();
  });
});

function expectAuditedRefusal(h: Harness, refused: Awaited<ReturnType<Principal['read']>>, who: string): void {
  if (refused.ok) return;
  const record = auditFor(h.auditPath, refused.eventId);
  expect(record.tool).toBe('resource:result');
  expect(record.principal?.sa).toBe(who);
  expect(record.outcome).toMatchObject({ status: 'invalid', errorCode: 'INVALID_ARGUMENT' });
}
