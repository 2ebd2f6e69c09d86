import { DataMcpError, invalidArgument } from '../../results/errors.js';
import { ceilingHintText } from './errors.js';

const TIB = 1024 ** 4;

/**
 * The bytes ceiling of one job: the operator's `maximum_bytes_billed`, or the agent's lower
 * figure. An agent's higher figure is ignored (never an error: asking for more is harmless,
 * it simply is not granted).
 */
export function effectiveCeiling(configured: number, requested: number | undefined): number {
  if (requested === undefined) return configured;
  if (!Number.isSafeInteger(requested) || requested < 1) {
    throw invalidArgument('maxBytesBilled must be a positive integer number of bytes', `Pass a byte count such as 1000000000 (the connector allows at most ${configured}).`);
  }
  return Math.min(configured, requested);
}

/** On-demand price of scanning `bytes`, in USD (rounded to millionths of a dollar). */
export function estimatedCostUsd(bytes: number, usdPerTib: number): number {
  return Math.round((bytes / TIB) * usdPerTib * 1e6) / 1e6;
}

export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const shown = unit === 0 ? String(bytes) : value.toFixed(value < 10 ? 2 : 1);
  return unit === 0 ? `${shown} bytes` : `${shown} ${units[unit]!} (${bytes} bytes)`;
}

/** The query would scan more than the ceiling: refused before any job runs. */
export function overCeiling(bytes: number, ceiling: number, usdPerTib: number): DataMcpError {
  const cost = estimatedCostUsd(bytes, usdPerTib).toFixed(4);
  return new DataMcpError(
    'LIMIT_EXCEEDED',
    `the query would process ${formatBytes(bytes)} (about $${cost}), more than the ceiling of ${formatBytes(ceiling)}; it was not run`,
    `The dry run estimates ${formatBytes(bytes)} scanned, about $${cost} at $${usdPerTib}/TiB; this job may bill at most ${formatBytes(ceiling)}. ${ceilingHintText()}`,
    { bytesProcessed: bytes, maximumBytesBilled: ceiling, estimatedCostUsd: estimatedCostUsd(bytes, usdPerTib) },
  );
}
