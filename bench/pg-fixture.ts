import { createTestSchemas, pgConfig, type TestSchemas } from '../test/helpers/postgres.js';

/** The columns of demo/orders.parquet, which the echo payload imitates; the warehouse tables copy them. */
export const ORDER_COLUMNS = 'order_id, customer_id, order_date, status, region, amount, quantity';

/**
 * The bench's data on the machine's PostgreSQL (127.0.0.1:5432, trust auth, database `test`,
 * the test conventions of `test/helpers/postgres.ts`): one schema of its own, `dm_pg_<random>`,
 * so a run never touches another session's tables, dropped at the end — also when the run
 * fails or is interrupted (`drop()` is safe to call more than once).
 */
export class BenchDatabase {
  private dropped: Promise<void> | undefined;

  private constructor(private readonly schemas: TestSchemas) {}

  static async create(): Promise<BenchDatabase> {
    try {
      return new BenchDatabase(await createTestSchemas(['']));
    } catch (error) {
      throw new Error(`the warehouse measures need PostgreSQL at 127.0.0.1:5432 (trust auth, database test): ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  get schema(): string {
    return this.schemas.schema();
  }

  /** Quoted `schema.table`. */
  table(name: string): string {
    return `"${this.schema}"."${name}"`;
  }

  /**
   * A table shaped like demo/orders.parquet (int8, int8, timestamp, text, text, float8, int4),
   * so a 50-row answer is the size and shape of the echo payload. Values are deterministic.
   */
  async createOrders(name: string, rows: number): Promise<void> {
    await this.schemas.admin.query(`CREATE TABLE ${this.table(name)} AS SELECT
        g::int8 AS order_id,
        ((g * 37) % 1000)::int8 AS customer_id,
        timestamp '2026-01-01' + g * interval '1 minute' AS order_date,
        (ARRAY['delivered','shipped','pending','returned','cancelled'])[1 + g % 5] AS status,
        (ARRAY['north','south','east','west','central'])[1 + (g * 3) % 5] AS region,
        (round((((g * 7919) % 100000) / 1.1)::numeric) / 100)::float8 AS amount,
        (1 + g % 5)::int4 AS quantity
      FROM generate_series(1, ${rows}) g`);
    await this.schemas.admin.query(`ALTER TABLE ${this.table(name)} ADD PRIMARY KEY (order_id)`);
  }

  /** A postgres connector config over this schema only. */
  connectorConfig(): Record<string, unknown> {
    return { ...pgConfig({ schemas: [this.schema] }) };
  }

  drop(): Promise<void> {
    this.dropped ??= this.schemas.drop();
    return this.dropped;
  }
}
