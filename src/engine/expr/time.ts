/**
 * Calendar arithmetic on epoch milliseconds (UTC), without a Date object per row: days are
 * split into year/month/day with Howard Hinnant's civil-from-days algorithm, which is exact
 * for the whole proleptic Gregorian calendar.
 */
import type { PartFn, TruncUnit } from './typed.js';
import type { NumVec } from './vectors.js';

const MS_PER_DAY = 86_400_000;
const ymd = new Float64Array(3);

/** Fills `ymd` with the year, month (1–12) and day (1–31) of a day number (days since 1970-01-01). */
function civilFromDays(days: number): void {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const month = mp < 10 ? mp + 3 : mp - 9;
  ymd[0] = yoe + era * 400 + (month <= 2 ? 1 : 0);
  ymd[1] = month;
  ymd[2] = doy - Math.floor((153 * mp + 2) / 5) + 1;
}

function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  return era * 146097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719468;
}

export function datePart(fn: PartFn, vec: NumVec, n: number): NumVec {
  const slot = fn === 'year' ? 0 : fn === 'month' ? 1 : 2;
  const x = vec.values;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    civilFromDays(Math.floor(x[i]! / MS_PER_DAY));
    out[i] = ymd[slot]!;
  }
  return { kind: 'num', values: out, valid: vec.valid };
}

const FIXED_UNITS: Partial<Record<TruncUnit, number>> = { minute: 60_000, hour: 3_600_000, day: MS_PER_DAY };

export function dateTrunc(unit: TruncUnit, vec: NumVec, n: number): NumVec {
  const x = vec.values;
  const out = new Float64Array(n);
  const step = FIXED_UNITS[unit];
  if (step !== undefined) {
    for (let i = 0; i < n; i++) out[i] = Math.floor(x[i]! / step) * step;
  } else if (unit === 'week') {
    // 1970-01-01 was a Thursday: (days + 3) mod 7 counts days since the Monday before.
    for (let i = 0; i < n; i++) {
      const days = Math.floor(x[i]! / MS_PER_DAY);
      out[i] = (days - (((days + 3) % 7) + 7) % 7) * MS_PER_DAY;
    }
  } else {
    for (let i = 0; i < n; i++) {
      civilFromDays(Math.floor(x[i]! / MS_PER_DAY));
      const month = unit === 'year' ? 1 : unit === 'quarter' ? Math.floor((ymd[1]! - 1) / 3) * 3 + 1 : ymd[1]!;
      out[i] = daysFromCivil(ymd[0]!, month, 1) * MS_PER_DAY;
    }
  }
  return { kind: 'num', values: out, valid: vec.valid };
}
