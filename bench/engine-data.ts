/**
 * The engine bench's data, made identically on both sides from the row number alone: as
 * Arrow batches in JS (the shape the readers produce: 122 880-row batches, strings
 * dictionary-encoded with a different dictionary per batch) and as DuckDB in-memory tables
 * from `range()` with the same integer formulas. Every product stays below 2^53, so JS
 * doubles and DuckDB BIGINTs agree exactly; the bench checks the two sides' answers anyway.
 *
 * facts: i → region (50 values), customer_id (0..199), amount (uniform in [0, 100 000.19),
 * null on every 101st row), ts (ms timestamps over ≈ 11.6 days).
 * customers: customer_id 0..199 → segment (7 values).
 */
import * as arrow from 'apache-arrow';
import type { DuckDBConnection } from '@duckdb/node-api';
import { utf8Vector } from '../src/formats/columns.js';
import { newBitmap, numbersToInt64, setBit } from '../src/formats/raw.js';

export const BATCH_ROWS = 122_880;
export const CUSTOMERS = 200;
const REGIONS = 50;
const SEGMENTS = ['consumer', 'corporate', 'home office', 'small business', 'enterprise', 'public sector', 'education'];
/** amount > this keeps about half the rows. */
export const AMOUNT_CUT = 50_000;

const regionOf = (i: number): number => ((i * 2971) % 10007) % REGIONS;
const customerOf = (i: number): number => ((i * 6007) % 10009) % CUSTOMERS;
const amountOf = (i: number): number | null => (i % 101 === 0 ? null : ((i * 104729) % 10000019) / 100);
const tsOf = (i: number): number => 1_700_000_000_000 + ((i * 7907) % 1000003) * 1000;
const regionName = (r: number): string => `region-${String(r).padStart(2, '0')}`;

/** The same rows in DuckDB SQL (tables `facts` and `customers`). */
export function duckdbLoadSql(rows: number): string {
  return `
CREATE OR REPLACE TABLE facts AS SELECT
  'region-' || lpad(CAST(((i * 2971) % 10007) % ${REGIONS} AS VARCHAR), 2, '0') AS region,
  CAST(((i * 6007) % 10009) % ${CUSTOMERS} AS INTEGER) AS customer_id,
  CASE WHEN i % 101 = 0 THEN NULL ELSE CAST((i * 104729) % 10000019 AS DOUBLE) / 100 END AS amount,
  epoch_ms(1700000000000 + ((i * 7907) % 1000003) * 1000) AS ts
FROM range(${rows}) t(i);
CREATE OR REPLACE TABLE customers AS SELECT
  CAST(c AS INTEGER) AS customer_id,
  ([${SEGMENTS.map((s) => `'${s}'`).join(', ')}])[(c % ${SEGMENTS.length}) + 1] AS segment
FROM range(${CUSTOMERS}) t(c);`;
}

export async function loadDuckdb(connection: DuckDBConnection, rows: number): Promise<void> {
  await connection.run(duckdbLoadSql(rows));
}

const dictionaryType = new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32());

function factsBatch(schema: arrow.Schema, start: number, length: number, batchNo: number): arrow.RecordBatch {
  // Each batch lists the regions in its own rotated order, as independent readers would.
  const rotation = batchNo % REGIONS;
  const dictionary = utf8Vector(Array.from({ length: REGIONS }, (_, j) => regionName((j + rotation) % REGIONS)));
  const codes = new Int32Array(length);
  const customers = new Int32Array(length);
  const amounts = new Float64Array(length);
  const amountValid = newBitmap(length);
  const ts = new Float64Array(length);
  let nulls = 0;
  for (let k = 0; k < length; k++) {
    const i = start + k;
    codes[k] = (regionOf(i) - rotation + REGIONS) % REGIONS;
    customers[k] = customerOf(i);
    const amount = amountOf(i);
    if (amount === null) nulls++;
    else {
      amounts[k] = amount;
      setBit(amountValid, k);
    }
    ts[k] = tsOf(i);
  }
  const children = [
    arrow.makeData({ type: dictionaryType, length, nullCount: 0, data: codes, dictionary }),
    arrow.makeData({ type: new arrow.Int32(), length, nullCount: 0, data: customers }),
    arrow.makeData({ type: new arrow.Float64(), length, nullCount: nulls, nullBitmap: amountValid, data: amounts }),
    arrow.makeData({ type: new arrow.TimestampMillisecond(), length, nullCount: 0, data: numbersToInt64(ts, length) }),
  ];
  return new arrow.RecordBatch(schema, arrow.makeData({ type: new arrow.Struct(schema.fields), length, nullCount: 0, children }));
}

export function factsTable(rows: number): arrow.Table {
  const schema = new arrow.Schema([
    new arrow.Field('region', dictionaryType, true),
    new arrow.Field('customer_id', new arrow.Int32(), true),
    new arrow.Field('amount', new arrow.Float64(), true),
    new arrow.Field('ts', new arrow.TimestampMillisecond(), true),
  ]);
  const batches: arrow.RecordBatch[] = [];
  for (let start = 0, b = 0; start < rows; start += BATCH_ROWS, b++) batches.push(factsBatch(schema, start, Math.min(BATCH_ROWS, rows - start), b));
  return new arrow.Table(schema, batches);
}

export function customersTable(): arrow.Table {
  const schema = new arrow.Schema([new arrow.Field('customer_id', new arrow.Int32(), true), new arrow.Field('segment', new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32()), true)]);
  const ids = Int32Array.from({ length: CUSTOMERS }, (_, c) => c);
  const codes = Int32Array.from({ length: CUSTOMERS }, (_, c) => c % SEGMENTS.length);
  const children = [
    arrow.makeData({ type: schema.fields[0]!.type as arrow.Int32, length: CUSTOMERS, nullCount: 0, data: ids }),
    arrow.makeData({ type: schema.fields[1]!.type as arrow.Dictionary<arrow.Utf8, arrow.Int32>, length: CUSTOMERS, nullCount: 0, data: codes, dictionary: utf8Vector(SEGMENTS) }),
  ];
  return new arrow.Table(schema, [new arrow.RecordBatch(schema, arrow.makeData({ type: new arrow.Struct(schema.fields), length: CUSTOMERS, nullCount: 0, children }))]);
}
