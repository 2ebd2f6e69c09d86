/** Test-only readers of Arrow tables (the Vector API is fine outside hot paths). */
import type * as arrow from 'apache-arrow';

export function columnValues(table: arrow.Table, name: string): unknown[] {
  const vector = table.getChild(name);
  if (!vector) throw new Error(`no column ${name}`);
  // Iteration goes through get(), which honours nulls (toArray() of a typed column would not).
  return Array.from(vector as Iterable<unknown>);
}

export function rowsOf(table: arrow.Table): Record<string, unknown>[] {
  return table.toArray().map((row: { toJSON(): Record<string, unknown> }) => ({ ...row.toJSON() }));
}

export function sum(values: unknown[]): number {
  return values.reduce<number>((acc, v) => acc + (typeof v === 'number' ? v : 0), 0);
}

export async function collectBatches(batches: AsyncIterable<arrow.Table>): Promise<arrow.Table[]> {
  const out: arrow.Table[] = [];
  for await (const batch of batches) out.push(batch);
  return out;
}
