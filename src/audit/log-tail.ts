import type { FileHandle } from 'node:fs/promises';
import { computeHash, isHash } from './chain.js';
import type { AuditRecord } from './record.js';

const CHUNK = 64 * 1024;
const NEWLINE = 0x0a;

export interface LogTail {
  /** The last newline-terminated line, parsed; undefined for an empty log. */
  last?: AuditRecord;
  /** Bytes after the last newline: a write that a crash interrupted. */
  torn?: Buffer;
}

/**
 * Read backwards from the end just far enough to find the last complete line, so resuming a
 * large log costs one or two reads, not a scan.
 */
export async function readLogTail(fh: FileHandle, size: number): Promise<LogTail> {
  let pos = size;
  let tail = Buffer.alloc(0);
  while (pos > 0) {
    const len = Math.min(CHUNK, pos);
    pos -= len;
    const chunk = Buffer.alloc(len);
    const { bytesRead } = await fh.read(chunk, 0, len, pos);
    tail = Buffer.concat([chunk.subarray(0, bytesRead), tail]);
    const lastNl = tail.lastIndexOf(NEWLINE);
    if (lastNl > 0 && tail.lastIndexOf(NEWLINE, lastNl - 1) !== -1) break;
  }
  const lastNl = tail.lastIndexOf(NEWLINE);
  const torn = lastNl === tail.length - 1 ? undefined : tail.subarray(lastNl + 1);
  if (lastNl === -1) return { torn };
  const prevNl = lastNl === 0 ? -1 : tail.lastIndexOf(NEWLINE, lastNl - 1);
  const line = tail.subarray(prevNl + 1, lastNl).toString('utf8');
  const last = parseRecordLine(line);
  if (!last) throw new Error('the last line of the audit log is not a valid record');
  return { last, torn };
}

/**
 * Parse a line and check its own hash. Returns undefined for anything that is not a sealed
 * record (verify reports why; resume only needs to know it cannot build on it).
 */
export function parseRecordLine(line: string): AuditRecord | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (!looksLikeRecord(value)) return undefined;
  return computeHash(value.prevHash, value) === value.hash ? value : undefined;
}

export function looksLikeRecord(value: unknown): value is AuditRecord {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const r = value as Record<string, unknown>;
  return (
    (r.type === 'call' || r.type === 'checkpoint' || r.type === 'recovery' || r.type === 'rotation') &&
    Number.isSafeInteger(r.seq) &&
    (r.seq as number) >= 1 &&
    isHash(r.prevHash) &&
    isHash(r.hash)
  );
}
