import type { SqlTableRef } from './types.js';

/** Collects table references, deduplicated by name; a table both read and written counts as written. */
export class TableSet {
  private readonly byKey = new Map<string, SqlTableRef>();

  add(ref: SqlTableRef): void {
    const key = JSON.stringify([ref.database ?? null, ref.schema ?? null, ref.name]);
    const existing = this.byKey.get(key);
    if (existing === undefined) this.byKey.set(key, { ...ref });
    else if (ref.access === 'write') existing.access = 'write';
  }

  markAllWritten(): void {
    for (const ref of this.byKey.values()) ref.access = 'write';
  }

  list(): SqlTableRef[] {
    return [...this.byKey.values()].map((ref) => {
      const out: SqlTableRef = { name: ref.name, access: ref.access };
      if (ref.database !== undefined) out.database = ref.database;
      if (ref.schema !== undefined) out.schema = ref.schema;
      return out;
    });
  }
}
