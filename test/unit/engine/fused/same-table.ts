/**
 * Two tables hold the same answer: the same column names and types, the same rows in the same
 * order; numbers within 1e-9 relative (fused roads add floats in another order), nulls exact.
 */
import * as arrow from 'apache-arrow';
import { expect } from 'vitest';
import { valuesOf } from '../ops/step-tables.js';

export function expectSameTable(actual: arrow.Table, expected: arrow.Table): void {
  expect(actual.schema.fields.map((f) => f.name)).toEqual(expected.schema.fields.map((f) => f.name));
  actual.schema.fields.forEach((f, i) => {
    expect(arrow.util.compareTypes(f.type, expected.schema.fields[i]!.type), `type of ${f.name}: ${String(f.type)} vs ${String(expected.schema.fields[i]!.type)}`).toBe(true);
  });
  expect(actual.numRows).toBe(expected.numRows);
  for (const field of expected.schema.fields) {
    const got = valuesOf(actual, field.name);
    const want = valuesOf(expected, field.name);
    want.forEach((w, r) => {
      const g = got[r];
      if (typeof w === 'number' && typeof g === 'number') {
        if (Number.isNaN(w)) expect(g, `${field.name}[${r}]`).toBeNaN();
        else expect(Math.abs(g - w), `${field.name}[${r}]: ${g} vs ${w}`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(w)));
      } else expect(g, `${field.name}[${r}]`).toEqual(w);
    });
  }
}
