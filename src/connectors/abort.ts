import { DataMcpError } from '../results/errors.js';

// Shared with the engine and the probe runner, which have no business importing connectors.
export { abortError, throwIfAborted } from '../results/abort.js';

/** Validates a byte range for ByteSource.read and clamps `end` to the object size (like slice). */
export function checkRange(start: number, end: number, size: number): { start: number; end: number } {
  const valid = Number.isSafeInteger(start) && Number.isSafeInteger(end) && start >= 0 && end >= start;
  if (!valid) {
    throw new DataMcpError(
      'INVALID_ARGUMENT',
      `invalid byte range [${String(start)}, ${String(end)})`,
      'Byte ranges are non-negative integers with start <= end (end exclusive).',
    );
  }
  const clampedEnd = Math.min(end, size);
  return { start: Math.min(start, clampedEnd), end: clampedEnd };
}
