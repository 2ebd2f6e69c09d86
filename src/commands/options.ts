import { TOOLSETS, type Toolset } from '../config/schema.js';
import { configError } from '../results/errors.js';

/** `--toolsets catalog,data` → validated toolset names. */
export function parseToolsets(value: string | undefined): Toolset[] | undefined {
  if (value === undefined) return undefined;
  const names = value.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((n) => !(TOOLSETS as readonly string[]).includes(n));
  if (unknown.length > 0 || names.length === 0) {
    throw configError(`--toolsets: unknown toolset ${unknown.join(', ') || '(none given)'}`, `Allowed: ${TOOLSETS.join(', ')}.`);
  }
  return names as Toolset[];
}

/** `8h`, `30m`, `90s`, `2d` → seconds (at most 30 days). */
export function parseDuration(value: string): number {
  const match = /^(\d{1,6})([smhd])$/.exec(value.trim());
  if (!match) throw configError(`--ttl ${value} is not a duration`, 'Use a number and a unit: 90s, 30m, 8h, 2d.');
  const seconds = Number(match[1]) * { s: 1, m: 60, h: 3600, d: 86_400 }[match[2] as 's' | 'm' | 'h' | 'd'];
  if (seconds < 1 || seconds > 30 * 86_400) throw configError(`--ttl ${value} is out of range`, 'Use between 1s and 30d.');
  return seconds;
}
