import { startRedshiftDataDouble, type RedshiftDataDouble } from '../test/helpers/fakes/redshift-data-double.js';
import { startHarness, type Harness } from '../test/helpers/harness.js';
import { arrowBytes, held, minus, peakOf, retainedMemory, sampleMemory, type MemorySample } from './memory.js';
import { ORDER_COLUMNS, type BenchDatabase } from './pg-fixture.js';
import { recordsToTable, resultColumns, type DataApiField } from '../src/connectors/redshift/records.js';
import { msSince, summarize, type Summary } from './stats.js';

export interface PagingFigures {
  rows: number;
  /** `result://` reads, and rows per read (the result budget's max_rows). */
  reads: number;
  readRows: number;
  /** Rows per GetStatementResult page of the double. */
  upstreamPage: number;
  queryMs: number;
  pagingMs: number;
  rowsPerSecond: number;
  /** One `result://` read (`readResource`, which pulls an upstream page when it reaches past what is held). */
  read: Summary;
  /** Peak of the per-read samples above the baseline (no forced GC: garbage not yet collected counts). */
  peak: MemorySample;
  /** After a full GC, above the baseline: right after the query answered, and after the last page. */
  afterQuery: MemorySample;
  atEnd: MemorySample;
  /** Of `atEnd` (heapUsed + arrayBuffers): the double's copy of the result, and what data-mcp's live result held. */
  heldByDouble: number;
  heldByLiveResult: number;
  /** The same rows built once as Arrow, page by page as the connector builds them. */
  arrowBytes: number;
}

const CONNECTOR = 'warehouse';
const FIRST_ROWS = 50;

/**
 * Pages a 100k-row Redshift result into a `result://` handle, in-process: the Redshift Data
 * API double (over the machine's PostgreSQL, in this process) and a runtime + server + client
 * built as the test harness builds them. `query` with `limit: 50` answers `complete: false`
 * and a handle; the handle is then read to the end, `readRows` rows per read. Memory is
 * sampled after every read against a baseline taken (after a full GC) before the query.
 */
export async function pageRedshiftResult(db: BenchDatabase, rows: number, readRows: number, upstreamPage: number): Promise<PagingFigures> {
  await db.createOrders('paged', rows);
  // The SDK's "Node 22 after January 2027" notice is known (shared/notes/test-backends.md); it is noise in the bench output.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  let double: RedshiftDataDouble | undefined;
  let h: Harness | undefined;
  try {
    double = await startRedshiftDataDouble({ pageSize: upstreamPage });
    h = await startHarness({
      config: {
        server: { env: 'dev', toolsets: ['catalog', 'data'], result_budget: { max_rows: readRows, max_bytes: 1_000_000 } },
        auth: { mode: 'none', default_service_account: 'reader', service_accounts: [{ id: 'reader', roles: ['reader'] }] },
        connectors: {
          [CONNECTOR]: {
            kind: 'redshift',
            database: 'test',
            workgroup_name: 'bench',
            endpoint: double.endpoint,
            poll_interval_ms: 10,
            credentials: { access_key_id: 'AKIDBENCH', secret_access_key: 'bench-secret-value' },
          },
        },
      },
    });
    const sql = (where: string) => `SELECT ${ORDER_COLUMNS} FROM ${db.table('paged')} ${where} ORDER BY order_id`;
    // Warm-up on a small slice, paged the same way, so code loading and JIT are not in the figures.
    await readAll(h, sql(`WHERE order_id <= ${upstreamPage * 3}`), readRows);
    h.runtime.gate.deps.live.close();
    double.statements.clear();
    const baseline = retainedMemory();

    let start = process.hrtime.bigint();
    const { handle, firstRows } = await firstPage(h, sql(''));
    const queryMs = msSince(start);
    let peak = sampleMemory();
    const afterQuery = minus(retainedMemory(), baseline);

    start = process.hrtime.bigint();
    const reads: number[] = [];
    let total = firstRows;
    for (let offset = firstRows; ; ) {
      const readStart = process.hrtime.bigint();
      const page = await readPage(h, handle, offset, readRows);
      reads.push(msSince(readStart));
      peak = peakOf(peak, sampleMemory());
      total += page.rows;
      if (page.nextOffset === undefined) break;
      offset = page.nextOffset;
    }
    const pagingMs = msSince(start);
    if (total !== rows) throw new Error(`paged ${total} rows, expected ${rows}`);

    const atEnd = retainedMemory();
    const built = arrowSizeOfDoubleResult(double, upstreamPage);
    for (const statement of double.statements.values()) delete statement.records;
    const withoutDouble = retainedMemory();
    h.runtime.gate.deps.live.close();
    const withoutLive = retainedMemory();
    return {
      rows,
      reads: reads.length,
      readRows,
      upstreamPage,
      queryMs,
      pagingMs,
      rowsPerSecond: rows / ((queryMs + pagingMs) / 1000),
      read: summarize(reads),
      peak: minus(peak, baseline),
      afterQuery,
      atEnd: minus(atEnd, baseline),
      heldByDouble: held(atEnd) - held(withoutDouble),
      heldByLiveResult: held(withoutDouble) - held(withoutLive),
      arrowBytes: built,
    };
  } finally {
    await h?.close();
    await double?.close();
  }
}

async function firstPage(h: Harness, sql: string): Promise<{ handle: string; firstRows: number }> {
  const result = await h.call('query', { connector: CONNECTOR, sql, limit: FIRST_ROWS });
  const out = result.structuredContent as { complete?: boolean; handle?: string; returnedRows?: number } | undefined;
  if (result.isError || out?.complete !== false || !out.handle || out.returnedRows !== FIRST_ROWS) {
    throw new Error(`expected ${FIRST_ROWS} rows, complete: false and a handle; got ${JSON.stringify(result).slice(0, 500)}`);
  }
  return { handle: out.handle, firstRows: FIRST_ROWS };
}

/** One read of the handle; each read is checked to hold the rows it claims (order ids are 1..N). */
async function readPage(h: Harness, handle: string, offset: number, limit: number): Promise<{ rows: number; nextOffset?: number }> {
  const answer = await h.client.readResource({ uri: `${handle}?offset=${offset}&limit=${limit}` });
  const body = JSON.parse((answer.contents[0] as { text: string }).text) as { rows: unknown[][]; nextOffset?: number };
  const firstId = body.rows[0]?.[0];
  if (Number(firstId) !== offset + 1) throw new Error(`the read at offset ${offset} starts at order ${String(firstId)}`);
  return { rows: body.rows.length, ...(body.nextOffset !== undefined ? { nextOffset: body.nextOffset } : {}) };
}

async function readAll(h: Harness, sql: string, readRows: number): Promise<void> {
  const { handle, firstRows } = await firstPage(h, sql);
  for (let offset: number | undefined = firstRows; offset !== undefined; ) offset = (await readPage(h, handle, offset, readRows)).nextOffset;
}

/**
 * The result's size as Arrow, built from the double's records with the connector's own
 * builder and cut where the connector cuts (the first 50 rows, the rest of that upstream
 * page, then one table per upstream page: string dictionaries are per page).
 */
function arrowSizeOfDoubleResult(double: RedshiftDataDouble, upstreamPage: number): number {
  const statement = [...double.statements.values()].find((s) => s.records && s.records.length > FIRST_ROWS);
  if (!statement?.records || !statement.columns) throw new Error('the double holds no result to size');
  const columns = resultColumns(statement.columns);
  const records = statement.records as DataApiField[][];
  const cuts = [0, FIRST_ROWS];
  for (let at = upstreamPage; at < records.length; at += upstreamPage) cuts.push(at);
  cuts.push(records.length);
  let bytes = 0;
  for (let i = 0; i + 1 < cuts.length; i++) bytes += arrowBytes(recordsToTable(columns, records.slice(cuts[i], cuts[i + 1])));
  return bytes;
}
