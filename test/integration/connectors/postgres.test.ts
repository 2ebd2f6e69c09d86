import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataType } from 'apache-arrow';
import { PostgresConnector } from '../../../src/connectors/postgres/index.js';
import type { CallOptions, ListEntry, QueryRequest } from '../../../src/connectors/types.js';
import { failureOf } from '../../helpers/connector-contract.js';
import { createTestSchemas, pgConfig, type TestSchemas } from '../../helpers/postgres.js';

/** Browse, describe, type mapping and error mapping against the machine's PostgreSQL. */
const call = (signal = new AbortController().signal): CallOptions => ({ signal, credentials: { id: 'none' } });
const request = (sql: string, extra: Partial<QueryRequest> = {}): QueryRequest => ({ sql, params: {}, maxRows: 1000, dryRun: false, readOnly: true, timeoutMs: 10_000, ...extra });

describe('postgres connector: browse, describe, types, errors', () => {
  let db: TestSchemas;
  let main: string;
  let other: string;
  let connector: PostgresConnector;

  beforeAll(async () => {
    db = await createTestSchemas(['', 'other']);
    main = db.schema();
    other = db.schema('other');
    await db.admin.query(`
      CREATE TABLE "${main}".typed (
        id int4 PRIMARY KEY, small int2, big int8, price numeric(10,2), exact numeric, ratio float8, flag bool,
        name text, code varchar(10), born date, seen timestamp, seen_tz timestamptz, doc jsonb, uid uuid,
        tags text[], nums int4[], raw bytea NOT NULL DEFAULT '\\x'
      );
      COMMENT ON TABLE "${main}".typed IS 'every type the connector maps';
      INSERT INTO "${main}".typed VALUES
        (1, -7, 9007199254740993, 12345.67, 12345678901234567890.123456789, 0.5, true, 'héllo "x"', 'A1',
         '2024-02-29', '2024-01-02 03:04:05.678', '2024-01-02 03:04:05.678+02', '{"a":[1,2],"b":null}',
         '123e4567-e89b-12d3-a456-426614174000', '{"a b","c\\"d",NULL}', '{1,NULL,3}', '\\x00ff10'),
        (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, '\\x'),
        (3, 32767, -9223372036854775808, -0.01, 0, 'Infinity', false, '', 'z', '1970-01-01', '1969-12-31 23:59:59', '1970-01-01 00:00:00+00', '[]', NULL, '{}', '{{1,2},{3,4}}', '\\x41');
      CREATE TABLE "${main}".events (id int4 PRIMARY KEY, grp int4 NOT NULL);
      INSERT INTO "${main}".events SELECT g, g % 7 FROM generate_series(1, 5000) g;
      ANALYZE "${main}".events;
      CREATE VIEW "${main}".v_events AS SELECT id FROM "${main}".events WHERE grp = 0;
      CREATE TABLE "${main}"."odd/name" (x int);
      CREATE TABLE "${main}".composite (a int, b text, c int, PRIMARY KEY (b, a));
      CREATE TABLE "${other}".secret (x int);
    `);
    connector = new PostgresConnector('pg', pgConfig());
  });

  afterAll(async () => {
    await connector.close();
    await db.drop();
  });

  async function listAll(c: PostgresConnector, path: string, limit: number): Promise<ListEntry[]> {
    const all: ListEntry[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 1000; i++) {
      const page = await c.list(path, { ...call(), limit, ...(cursor !== undefined ? { cursor } : {}) });
      all.push(...page.entries);
      if (!page.nextCursor) return all;
      cursor = page.nextCursor;
    }
    throw new Error('listing did not end');
  }

  it('lists schemas as prefixes, without system schemas', async () => {
    const entries = await listAll(connector, '', 1000);
    const paths = entries.map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining([`${main}/`, `${other}/`, 'public/']));
    expect(entries.every((e) => e.kind === 'prefix' && e.path === `${e.name}/`)).toBe(true);
    expect(paths.filter((p) => p.startsWith('pg_') || p === 'information_schema/')).toEqual([]);
  });

  it('pages the schema listing with a cursor: every schema exactly once, in order', async () => {
    const oneByOne = (await listAll(connector, '', 1)).map((e) => e.path);
    const whole = (await listAll(connector, '', 1000)).map((e) => e.path);
    expect(oneByOne).toEqual(whole);
    expect(new Set(oneByOne).size).toBe(oneByOne.length);
  });

  it('lists tables and views of a schema as tables, leaving out names that are not addressable', async () => {
    const entries = await listAll(connector, `${main}/`, 2);
    expect(entries.map((e) => e.path)).toEqual([`${main}/composite`, `${main}/events`, `${main}/typed`, `${main}/v_events`]);
    expect(entries.every((e) => e.kind === 'table')).toBe(true);
    // A schema path without the trailing slash lists the same.
    expect((await connector.list(main, { ...call(), limit: 10 })).entries).toHaveLength(4);
  });

  it('honours the schema allowlist in browse, describe and unqualified query names', async () => {
    const limited = new PostgresConnector('pg', pgConfig({ schemas: [main] }));
    try {
      expect((await listAll(limited, '', 10)).map((e) => e.path)).toEqual([`${main}/`]);
      expect((await failureOf(limited.list(`${other}/`, { ...call(), limit: 10 }))).code).toBe('NOT_FOUND');
      expect((await failureOf(limited.describeTable(`${other}/secret`, call()))).code).toBe('NOT_FOUND');
      expect((await failureOf(limited.list('public/', { ...call(), limit: 10 }))).code).toBe('NOT_FOUND');
      // search_path is the allowlist: "events" resolves inside it.
      const result = await limited.query(request('SELECT count(*)::int AS n FROM events'), call());
      expect(result.table.getChild('n')?.get(0)).toBe(5000);
    } finally {
      await limited.close();
    }
  });

  it('refuses system schemas, missing schemas, table-as-prefix and unsafe paths', async () => {
    const listing = { ...call(), limit: 10 };
    expect((await failureOf(connector.list('pg_catalog/', listing))).code).toBe('NOT_FOUND');
    expect((await failureOf(connector.list('information_schema/', listing))).code).toBe('NOT_FOUND');
    expect((await failureOf(connector.list(`${main}_missing/`, listing))).code).toBe('NOT_FOUND');
    expect((await failureOf(connector.list(`${main}/typed/`, listing))).code).toBe('INVALID_ARGUMENT');
    for (const bad of ['../x/', '/abs/', `${main}//`, 'a\u0000b/']) {
      expect((await failureOf(connector.list(bad, listing))).code).toBe('INVALID_ARGUMENT');
    }
    expect((await failureOf(connector.list('', { ...call(), limit: 0 }))).code).toBe('INVALID_ARGUMENT');
  });

  it('describes a table: readable types, nullability, primary key, comment, estimated row count', async () => {
    const d = await connector.describeTable(`${main}/typed`, call());
    const types = Object.fromEntries(d.columns.map((c) => [c.name, c.type]));
    expect(types).toEqual({
      id: 'int32', small: 'int16', big: 'int64', price: 'decimal(10,2)', exact: 'decimal', ratio: 'float64', flag: 'bool',
      name: 'string', code: 'string', born: 'date', seen: 'timestamp', seen_tz: 'timestamptz', doc: 'json', uid: 'uuid',
      tags: 'array<string>', nums: 'array<int32>', raw: 'binary',
    });
    expect(d.columns.find((c) => c.name === 'id')?.nullable).toBe(false);
    expect(d.columns.find((c) => c.name === 'raw')?.nullable).toBe(false);
    expect(d.columns.find((c) => c.name === 'name')?.nullable).toBe(true);
    expect(d.keys).toEqual([{ name: 'id', role: 'primary' }]);
    expect(d.comment).toBe('every type the connector maps');
    expect(d.rowCountExact).toBe(false);

    const events = await connector.describeTable(`${main}/events`, call());
    expect(events.rowCount).toBe(5000);
    expect(events.rowCountExact).toBe(false);
    const composite = await connector.describeTable(`${main}/composite`, call());
    expect(composite.keys).toEqual([{ name: 'b', role: 'primary' }, { name: 'a', role: 'primary' }]);
    const view = await connector.describeTable(`${main}/v_events`, call());
    expect(view.columns).toEqual([{ name: 'id', type: 'int32', nullable: true }]);
    expect(view.keys).toBeUndefined();
  });

  it('describe: a missing table is NOT_FOUND, a schema or deeper path is INVALID_ARGUMENT', async () => {
    expect((await failureOf(connector.describeTable(`${main}/nope`, call()))).code).toBe('NOT_FOUND');
    expect((await failureOf(connector.describeTable(`${main}/`, call()))).code).toBe('INVALID_ARGUMENT');
    expect((await failureOf(connector.describeTable(`${main}/typed/x`, call()))).code).toBe('INVALID_ARGUMENT');
    expect((await failureOf(connector.describeTable(`${main}/odd/name`, call()))).code).toBe('INVALID_ARGUMENT');
  });

  it('stat and open are refused with a hint to describe or query', async () => {
    const s = await failureOf(connector.stat(`${main}/typed`, call()));
    expect(s.code).toBe('INVALID_ARGUMENT');
    expect(s.hint).toMatch(/describe/);
    expect((await failureOf(connector.open(`${main}/typed`, call()))).code).toBe('INVALID_ARGUMENT');
  });

  it('maps PostgreSQL types to Arrow exactly, nulls included', async () => {
    const result = await connector.query(request(`SELECT * FROM "${main}".typed ORDER BY id`), call());
    expect(result.complete).toBe(true);
    expect(result.totalRows).toBe(3);
    const t = result.table;
    const col = (name: string) => t.getChild(name)!;
    const types = Object.fromEntries(t.schema.fields.map((f) => [f.name, f.type]));
    expect(DataType.isInt(types.id) && types.id.bitWidth).toBe(32);
    expect(DataType.isInt(types.big) && types.big.bitWidth).toBe(64);
    expect(DataType.isFloat(types.price)).toBe(true);
    expect(DataType.isDictionary(types.exact)).toBe(true);
    expect(DataType.isTimestamp(types.seen_tz)).toBe(true);
    expect(DataType.isBool(types.flag)).toBe(true);

    expect(col('id').toArray()).toEqual(Int32Array.from([1, 2, 3]));
    expect([col('small').get(0), col('small').get(1), col('small').get(2)]).toEqual([-7, null, 32767]);
    expect([col('big').get(0), col('big').get(1), col('big').get(2)]).toEqual([9007199254740993n, null, -9223372036854775808n]);
    expect([col('price').get(0), col('price').get(1), col('price').get(2)]).toEqual([12345.67, null, -0.01]);
    expect([col('exact').get(0), col('exact').get(2)]).toEqual(['12345678901234567890.123456789', '0']);
    expect([col('ratio').get(0), col('ratio').get(2)]).toEqual([0.5, Infinity]);
    expect([col('flag').get(0), col('flag').get(1), col('flag').get(2)]).toEqual([true, null, false]);
    expect([col('name').get(0), col('name').get(1), col('name').get(2)]).toEqual(['héllo "x"', null, '']);
    expect(col('born').get(0)).toBe(Date.UTC(2024, 1, 29));
    expect(col('seen').get(0)).toBe(Date.UTC(2024, 0, 2, 3, 4, 5, 678));
    expect(col('seen').get(2)).toBe(-1000);
    expect(col('seen_tz').get(0)).toBe(Date.UTC(2024, 0, 2, 1, 4, 5, 678));
    expect(JSON.parse(col('doc').get(0) as string)).toEqual({ a: [1, 2], b: null });
    expect(col('uid').get(0)).toBe('123e4567-e89b-12d3-a456-426614174000');
    expect(JSON.parse(col('tags').get(0) as string)).toEqual(['a b', 'c"d', null]);
    expect(col('tags').get(2)).toBe('[]');
    expect(JSON.parse(col('nums').get(0) as string)).toEqual([1, null, 3]);
    expect(JSON.parse(col('nums').get(2) as string)).toEqual([[1, 2], [3, 4]]);
    expect(Buffer.from(col('raw').get(0) as string, 'base64')).toEqual(Buffer.from([0, 255, 16]));
    expect(col('raw').get(1)).toBe('');
    for (const name of ['doc', 'uid', 'seen', 'born']) expect(col(name).get(1)).toBeNull();
  });

  it('binds positional parameters and keeps duplicate column names apart', async () => {
    const result = await connector.query(
      request(`SELECT id, grp AS a, id AS a FROM "${main}".events WHERE id BETWEEN $1 AND $2 AND grp <> $3 ORDER BY id`, { positionalParams: [10, 14, 0] }),
      call(),
    );
    expect(result.table.schema.fields.map((f) => f.name)).toEqual(['id', 'a', 'a_2']);
    expect(result.table.getChild('id')?.toArray()).toEqual(Int32Array.from([10, 11, 12, 13]));
    // A parameter is a value, never SQL.
    const injected = await connector.query(request(`SELECT count(*)::int AS n FROM "${main}".events WHERE grp::text = $1`, { positionalParams: ["0' OR '1'='1"] }), call());
    expect(injected.table.getChild('n')?.get(0)).toBe(0);
  });

  it('SQL errors are INVALID_ARGUMENT with the engine message and position, never connection settings', async () => {
    const secretish = new PostgresConnector('pg', pgConfig({ password: 'Sup3r-Secret-Pw' }));
    try {
      const e = await failureOf(secretish.query(request(`SELECT * FROM "${main}".nope`), call()));
      expect(e.code).toBe('INVALID_ARGUMENT');
      // The engine's text is framed as untrusted data (it can echo values); the position is ours.
      expect(e.message).toMatch(/relation ".*nope" does not exist <\/untrusted-data-[0-9a-f]{16}> \(at character \d+\)/);
      expect(e.message).not.toMatch(/Sup3r|postgres:\/\/|5432|127\.0\.0\.1/);
      const syntax = await failureOf(secretish.query(request('SELEC 1'), call()));
      expect(syntax.code).toBe('INVALID_ARGUMENT');
      expect(syntax.message).toMatch(/syntax error/);
      const params = await failureOf(secretish.query(request('SELECT $1::int + $2::int', { positionalParams: [1] }), call()));
      expect(params.code).toBe('INVALID_ARGUMENT');
      const data = await failureOf(secretish.query(request('SELECT 1/0'), call()));
      expect(data.code).toBe('INVALID_ARGUMENT');
      expect(data.message).toMatch(/division by zero/);
      // The connection is fine afterwards.
      expect((await secretish.query(request('SELECT 1 AS one'), call())).table.getChild('one')?.get(0)).toBe(1);
    } finally {
      await secretish.close();
    }
  });

  it('refuses malformed requests before reaching the server', async () => {
    expect((await failureOf(connector.query(request('   '), call()))).code).toBe('INVALID_ARGUMENT');
    expect((await failureOf(connector.query(request('SELECT 1', { maxRows: 0 }), call()))).code).toBe('INVALID_ARGUMENT');
    expect((await failureOf(connector.query(request('SELECT :a', { params: { a: 1 } }), call()))).code).toBe('INVALID_ARGUMENT');
    expect((await failureOf(connector.query(request('SELECT $1', { positionalParams: [Number.NaN] }), call()))).code).toBe('INVALID_ARGUMENT');
  });
});
