import { randomBytes, createHash } from 'node:crypto';
import { constants, promises as fs } from 'node:fs';
import { join, relative } from 'node:path';
import { DataMcpError } from '../../results/errors.js';
import { throwIfAborted } from '../abort.js';
import type { WriteResult } from '../types.js';
import { objectExists } from '../write-conflict.js';
import { etagOf } from './entries.js';
import { fsError } from './errors.js';
import { escapeError, hasHiddenSegment, isWithin } from './resolve.js';

export interface LocalTarget {
  rootReal: string;
  segments: string[];
  path: string;
  connector: string;
  signal: AbortSignal;
}

/**
 * Atomic file writes: the bytes go to a hidden temp file in the target's own folder, are
 * fsynced, and only then appear under the target name — `link()` for create-only (the kernel
 * refuses an existing name: no check-then-write race), `rename()` to replace. A reader never
 * sees a partial file, and a failure removes the temp file. Missing folders are created one
 * level at a time below the deepest existing one, which must resolve inside the root.
 */
export async function writeFileAtomic(target: LocalTarget, data: Uint8Array | AsyncIterable<Uint8Array>, createOnly: boolean): Promise<WriteResult> {
  const dir = await ensureFolder(target);
  const name = target.segments[target.segments.length - 1]!;
  const finalPath = join(dir, name);
  const temp = join(dir, `.${name}.${randomBytes(6).toString('hex')}.tmp`);
  const hash = createHash('sha256');
  let size = 0;
  try {
    const handle = await fs.open(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o644);
    try {
      for await (const chunk of data instanceof Uint8Array ? [data] : data) {
        throwIfAborted(target.signal);
        await handle.write(chunk);
        hash.update(chunk);
        size += chunk.byteLength;
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
    throwIfAborted(target.signal);
    if (createOnly) {
      try {
        await fs.link(temp, finalPath);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        return await existing(target, finalPath, size, hash.digest('hex'));
      }
    } else {
      await fs.rename(temp, finalPath);
    }
    await syncFolder(dir);
    const stats = await fs.stat(finalPath);
    return { path: target.path, size, etag: etagOf(stats) };
  } catch (error) {
    throw fsError(error, target.connector, target.path);
  } finally {
    await fs.rm(temp, { force: true });
  }
}

/** Create-only hit an existing name: success only when it holds exactly these bytes. */
async function existing(target: LocalTarget, finalPath: string, size: number, sha256: string): Promise<WriteResult> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(finalPath, constants.O_RDONLY | constants.O_NOFOLLOW);
    const stats = await handle.stat();
    if (stats.isFile() && stats.size === size) {
      const hash = createHash('sha256');
      for await (const chunk of handle.createReadStream({ autoClose: false }) as AsyncIterable<Buffer>) hash.update(chunk);
      if (hash.digest('hex') === sha256) return { path: target.path, size, etag: etagOf(stats), alreadyExisted: true };
    }
  } catch {
    // A link, a folder or an unreadable file is simply "something else is there".
  } finally {
    await handle?.close();
  }
  throw objectExists(target.connector, target.path);
}

/** Removes one regular file (never a folder, never through a link at the final name). */
export async function deleteFile(target: LocalTarget): Promise<void> {
  const dir = await resolveFolder(target, false);
  const finalPath = join(dir, target.segments[target.segments.length - 1]!);
  try {
    const stats = await fs.lstat(finalPath);
    if (!stats.isFile()) throw new DataMcpError('INVALID_ARGUMENT', `"${target.path}" is not a regular file`, 'Only files can be deleted; folders and links are left alone.');
    throwIfAborted(target.signal);
    await fs.unlink(finalPath);
    await syncFolder(dir);
  } catch (error) {
    throw fsError(error, target.connector, target.path);
  }
}

async function ensureFolder(target: LocalTarget): Promise<string> {
  return resolveFolder(target, true);
}

/**
 * The real folder that holds the target. Walks the parent segments: existing ones are
 * resolved (links allowed only while they stay inside the root), missing ones are created
 * when `create` is set. Hidden names are refused like on reads.
 */
async function resolveFolder(target: LocalTarget, create: boolean): Promise<string> {
  if (hasHiddenSegment(target.segments.join('/'))) {
    throw new DataMcpError('INVALID_ARGUMENT', `"${target.path}" has a hidden segment (starting with ".")`, 'Hidden names are not addressable; choose a name that does not start with ".".');
  }
  let dir = target.rootReal;
  for (const segment of target.segments.slice(0, -1)) {
    const next = join(dir, segment);
    try {
      dir = await fs.realpath(next);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || !create) throw fsError(error, target.connector, target.path);
      try {
        await fs.mkdir(next, { mode: 0o755 });
      } catch (mkdirError) {
        if ((mkdirError as NodeJS.ErrnoException).code !== 'EEXIST') throw fsError(mkdirError, target.connector, target.path);
      }
      dir = await fs.realpath(next);
    }
    if (!isWithin(target.rootReal, dir) || hasHiddenSegment(relative(target.rootReal, dir))) throw escapeError(target.path);
    const stats = await fs.stat(dir);
    if (!stats.isDirectory()) throw new DataMcpError('INVALID_ARGUMENT', `a parent of "${target.path}" is a file, not a folder`, 'Write below a folder, not below a file.');
  }
  return dir;
}

/** fsync the folder so the new name survives a crash (ignored where folders cannot be synced). */
async function syncFolder(dir: string): Promise<void> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(dir, constants.O_RDONLY);
    await handle.sync();
  } catch {
    // Some filesystems refuse fsync on a directory; the data itself was already synced.
  } finally {
    await handle?.close();
  }
}
