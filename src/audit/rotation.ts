import { lstat, open, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { syncDir } from './head-sidecar.js';
import { nextPathFor } from './log-files.js';

/**
 * The file-system steps of a rotation. Every state a crash can leave is one the next start
 * resumes from (see `resumeActiveFile` in open-log.ts), because the active file is only ever
 * replaced by a rename of a fully written and fsynced file:
 *
 *   1. the closing checkpoint is fsynced into `<log>`     (crash: plain log, resumes as before)
 *   2. `<log>.next` gets the new header, fsynced          (crash: stale .next, discarded on start)
 *   3. `<log>` is renamed to `<log>.00000N`, dir fsynced  (crash: no active file; the start
 *                                                          recreates its header from file N)
 *   4. `<log>.next` is renamed to `<log>`, dir fsynced    (done; the sidecar follows)
 *
 * No acknowledged record is ever in flight here: records sealed after the rotation wait for
 * the new file, and the old file was synced in step 1.
 */
export async function rotateActiveFile(logPath: string, rotatedPath: string, headerText: string): Promise<void> {
  await prepareNextFile(logPath, headerText);
  // rename() would silently replace an existing file; a rotated file is never overwritten.
  const existing = await lstat(rotatedPath).then(
    () => true,
    (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return false;
      throw err;
    },
  );
  if (existing) throw new Error(`${rotatedPath} already exists`);
  await rename(logPath, rotatedPath);
  // Before the second rename: a power cut must never persist the new active file without the old one's new name.
  await syncDir(dirname(logPath));
  await rename(nextPathFor(logPath), logPath);
  await syncDir(dirname(logPath));
}

/** Put a fresh active file (header only) in place where none is. */
export async function installActiveFile(logPath: string, headerText: string): Promise<void> {
  await prepareNextFile(logPath, headerText);
  await rename(nextPathFor(logPath), logPath);
  await syncDir(dirname(logPath));
}

/** A `<log>.next` left by a crash holds only an unacknowledged header: it is not part of the log. */
export async function discardUnfinishedNext(logPath: string): Promise<boolean> {
  return unlink(nextPathFor(logPath)).then(
    () => true,
    (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return false;
      throw err;
    },
  );
}

async function prepareNextFile(logPath: string, text: string): Promise<void> {
  const next = nextPathFor(logPath);
  await discardUnfinishedNext(logPath);
  const fh = await open(next, 'wx', 0o600);
  try {
    await fh.writeFile(text);
    await fh.sync();
  } finally {
    await fh.close();
  }
}
