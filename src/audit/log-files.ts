import { readdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * The files of one audit log: rotated files `<log>.000001`, `<log>.000002`, … in chain order,
 * then the active file `<log>`. Six digits keep a plain `ls` in chain order for the first
 * million files; the order used here is numeric, so later files sort correctly too.
 */
export interface LogFile {
  /** Base name, as rotation records name their predecessor (the set can move directories). */
  name: string;
  path: string;
  /** 1, 2, … for rotated files; undefined for the active file. */
  index?: number;
}

const DIGITS = 6;

export const rotatedPathFor = (logPath: string, index: number) => `${logPath}.${String(index).padStart(DIGITS, '0')}`;

/** Where the next active file is prepared before it is renamed into place (never part of the log). */
export const nextPathFor = (logPath: string) => `${logPath}.next`;

/** The rotated files of `logPath`, oldest first. A missing directory has none. */
export async function listRotatedFiles(logPath: string): Promise<LogFile[]> {
  const base = basename(logPath);
  const dir = dirname(logPath);
  const names = await readdir(dir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return [] as string[];
    throw err;
  });
  const files: LogFile[] = [];
  for (const name of names) {
    if (!name.startsWith(`${base}.`)) continue;
    const suffix = name.slice(base.length + 1);
    // Exactly digits, at least six: `<log>.lock.<pid>`, `<log>.head` and the like never match.
    if (suffix.length < DIGITS || !/^\d+$/.test(suffix)) continue;
    const index = Number(suffix);
    if (!Number.isSafeInteger(index) || index < 1) continue;
    files.push({ name, path: join(dir, name), index });
  }
  return files.sort((a, b) => (a.index as number) - (b.index as number) || a.name.localeCompare(b.name));
}
