import { link, readFile, unlink, writeFile } from 'node:fs/promises';
import { auditUnavailable } from './audit-errors.js';

/** Locks this process holds: a lock naming our own pid but not in here is stale (a container restart reuses pids). */
const heldHere = new Set<string>();

export const lockPathFor = (logPath: string) => `${logPath}.lock`;

/**
 * Two writers on one log would fork the chain (both continue from the same head), so a log
 * has one owner at a time: `<log>.lock` holds the owner's pid. A lock left by a dead process
 * (a crash, kill -9) is taken over. Returns the release function.
 */
export async function acquireLogLock(logPath: string): Promise<() => Promise<void>> {
  const lockPath = lockPathFor(logPath);
  // Written aside, then hard-linked into place: the lock appears atomically with its pid in it.
  const mine = `${lockPath}.${process.pid}`;
  await writeFile(mine, `${process.pid}\n`, { mode: 0o600 }).catch((err: unknown) => {
    throw auditUnavailable(`cannot create ${mine}`, err);
  });
  try {
    return await takeLock(logPath, lockPath, mine);
  } finally {
    await unlink(mine).catch(() => undefined);
  }
}

async function takeLock(logPath: string, lockPath: string, mine: string): Promise<() => Promise<void>> {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await link(mine, lockPath);
      heldHere.add(lockPath);
      return async () => {
        heldHere.delete(lockPath);
        await unlink(lockPath).catch(() => undefined);
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw auditUnavailable(`cannot create ${lockPath}`, err);
    }
    const owner = Number.parseInt(await readFile(lockPath, 'utf8').catch(() => ''), 10);
    const ours = owner === process.pid;
    if (Number.isSafeInteger(owner) && owner > 0 && (ours ? heldHere.has(lockPath) : isAlive(owner))) {
      throw auditUnavailable(
        `${logPath} is already being written by process ${owner}${ours ? ' (this process)' : ''}; give each server its own audit.path, or remove ${lockPath} if that process is not data-mcp`,
      );
    }
    // Stale: the owner is gone (crash, kill -9). Remove and retry.
    await unlink(lockPath).catch(() => undefined);
  }
  throw auditUnavailable(`cannot take ${lockPath}: it keeps changing (another process is starting on the same log)`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
