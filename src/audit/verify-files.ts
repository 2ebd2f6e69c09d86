import { isHash } from './chain.js';
import type { AuditRecord, RotationRecord } from './record.js';

/** Where verify found a problem: the file, its line (1-based) and the record's seq if known. */
export interface BadRecord {
  file?: string;
  line: number;
  seq?: number;
  reason: string;
}

/** What a file boundary check needs to know about the walk so far. */
export interface BoundaryState {
  file: string;
  /** The file before this one in the set, and how many lines it had. */
  previous?: { name: string; lines: number };
  /** Every file name in the set, to tell a missing predecessor from a misplaced one. */
  names: ReadonlySet<string>;
  lastSeq: number;
  prevHash: string;
}

function isPrevious(value: unknown): value is RotationRecord['previous'] {
  const p = value as Partial<RotationRecord['previous']> | null;
  return typeof p === 'object' && p !== null && typeof p.file === 'string' && Number.isSafeInteger(p.lastSeq) && isHash(p.lastHash);
}

/**
 * The first record of a file: the first file of the set starts the chain (genesis); every
 * later file starts with a rotation record naming exactly the file before it, at the seq and
 * hash where that file ended. This is what catches a deleted, renamed, reordered, duplicated
 * or spliced-in file, and a rotated file whose tail was cut back to an earlier checkpoint.
 */
export function checkFileStart(r: AuditRecord, line: number, s: BoundaryState): BadRecord | undefined {
  const at = { file: s.file, line, seq: r.seq };
  if (r.type !== 'rotation') {
    if (!s.previous) return undefined;
    return { ...at, reason: `${s.file} does not start with a rotation record naming ${s.previous.name}: it does not continue the file before it (a foreign or duplicated file, or files out of order)` };
  }
  if (!isPrevious(r.previous)) return { ...at, reason: 'malformed rotation record (no previous file, seq and hash)' };
  const named = r.previous.file;
  if (!s.previous) {
    return { ...at, reason: `${s.file} continues ${named} (seq ${r.previous.lastSeq}), which is missing: the files before it were deleted, renamed or archived` };
  }
  if (named !== s.previous.name) {
    return s.names.has(named)
      ? { ...at, reason: `${s.file} continues ${named}, but follows ${s.previous.name} here: files were reordered, renamed or duplicated` }
      : { ...at, reason: `${s.file} continues ${named}, which is missing (deleted or renamed); it follows ${s.previous.name} here` };
  }
  // A cut tail of the previous file: this file names a later end than the previous one has.
  if (r.previous.lastSeq > s.lastSeq) {
    return {
      file: s.previous.name,
      line: s.previous.lines + 1,
      seq: s.lastSeq + 1,
      reason: `${s.previous.name} ends at seq ${s.lastSeq}, but ${s.file} says it ended at seq ${r.previous.lastSeq}: its tail was truncated (or ${s.file} was spliced in from another log)`,
    };
  }
  // Same name, other chain: a file with a valid chain of its own, taken from another log.
  if (r.previous.lastSeq !== s.lastSeq || r.previous.lastHash !== s.prevHash) {
    return { ...at, reason: `${s.file} names ${named} but does not continue its last record (seq ${s.lastSeq}): it was spliced in from another log, or ${named} was rewritten at its end` };
  }
  return undefined;
}

/** A rotated file was closed with a checkpoint; anything else at its end means it was cut. */
export function checkRotatedEnd(file: string, lines: number, last: AuditRecord | undefined): BadRecord | undefined {
  if (!last) return { file, line: 1, reason: `rotated file ${file} holds no records: it was emptied` };
  if (last.type === 'checkpoint') return undefined;
  return { file, line: lines + 1, seq: last.seq + 1, reason: `rotated file ${file} does not end with its closing checkpoint: its tail was truncated` };
}
