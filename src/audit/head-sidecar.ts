import { open, readFile, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { isHash } from './chain.js';
import type { CheckpointRecord } from './record.js';

/**
 * `<log>.head` remembers the last checkpoint outside the log, so cutting the log's tail —
 * checkpoint included — is still detectable: the sidecar then names a record that is gone.
 */
export interface HeadSidecar {
  coversSeq: number;
  headHash: string;
  /** Seq and hash of the checkpoint record itself. */
  seq: number;
  hash: string;
  ts: string;
  keyId: string;
  signature: string;
}

export const headPathFor = (logPath: string) => `${logPath}.head`;

export function sidecarFor(c: CheckpointRecord): HeadSidecar {
  return { coversSeq: c.coversSeq, headHash: c.headHash, seq: c.seq, hash: c.hash, ts: c.ts, keyId: c.keyId, signature: c.signature };
}

/** Atomic replace: a crash leaves either the old or the new sidecar, never half of one. */
export async function writeHeadSidecar(logPath: string, head: HeadSidecar): Promise<void> {
  const target = headPathFor(logPath);
  const tmp = `${target}.${process.pid}.tmp`;
  const fh = await open(tmp, 'w', 0o600);
  try {
    await fh.writeFile(`${JSON.stringify(head)}\n`);
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await rename(tmp, target);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
  await syncDir(dirname(target));
}

/** `undefined` when there is no sidecar; throws when one exists but is unreadable or malformed. */
export async function readHeadSidecar(logPath: string): Promise<HeadSidecar | undefined> {
  let text: string;
  try {
    text = await readFile(headPathFor(logPath), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const parsed = JSON.parse(text) as Partial<HeadSidecar>;
  const intOk = (n: unknown) => Number.isSafeInteger(n) && (n as number) >= 0;
  if (!intOk(parsed.seq) || !intOk(parsed.coversSeq) || !isHash(parsed.hash) || !isHash(parsed.headHash)) {
    throw new Error('malformed head sidecar');
  }
  return parsed as HeadSidecar;
}

/** Make a create/rename durable: the directory entry lives in the directory's own blocks. */
export async function syncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
