import { promises as fs, type Dirent, type Stats } from 'node:fs';
import { join, relative } from 'node:path';
import type { ListEntry } from '../types.js';
import { isAddressable } from '../path-guard.js';
import { hasHiddenSegment, isWithin } from './resolve.js';

/** One child of a folder, classified without reading file metadata yet. */
export interface Candidate {
  name: string;
  kind: 'prefix' | 'object';
  /** Where to read it: the real target for links, the plain path otherwise. */
  target: string;
  /** Reached through a symbolic link (recursive walks do not descend into linked folders). */
  linked: boolean;
  /** `name`, plus `/` for folders: sorting on this orders a tree like its full paths. */
  sortKey: string;
}

/** Weak validator: changes whenever size or mtime do. */
export function etagOf(stats: Stats): string {
  return `${stats.size}-${stats.mtimeMs}`;
}

/** Children of a folder that may be shown: no hidden names, no links leaving the root. */
export async function childrenOf(dirAbs: string, rootReal: string): Promise<Candidate[]> {
  const dirents = await fs.readdir(dirAbs, { withFileTypes: true });
  const classified = await Promise.all(dirents.map((d) => classify(d, dirAbs, rootReal)));
  return classified
    .filter((c): c is Candidate => c !== undefined)
    .sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0));
}

async function classify(dirent: Dirent, dirAbs: string, rootReal: string): Promise<Candidate | undefined> {
  const name = dirent.name;
  // Hidden files stay hidden; names the path guard would refuse could never be opened anyway.
  if (name.startsWith('.') || !isAddressable(name)) return undefined;
  const abs = join(dirAbs, name);
  if (dirent.isDirectory()) return candidate(name, 'prefix', abs, false);
  if (dirent.isFile()) return candidate(name, 'object', abs, false);
  if (!dirent.isSymbolicLink()) return undefined; // sockets, fifos, devices: not data
  try {
    const real = await fs.realpath(abs);
    if (!isWithin(rootReal, real) || hasHiddenSegment(relative(rootReal, real))) return undefined;
    const stats = await fs.stat(real);
    if (stats.isDirectory()) return candidate(name, 'prefix', real, true);
    if (stats.isFile()) return candidate(name, 'object', real, true);
  } catch {
    // A dangling link is not an entry.
  }
  return undefined;
}

function candidate(name: string, kind: Candidate['kind'], target: string, linked: boolean): Candidate {
  return { name, kind, target, linked, sortKey: kind === 'prefix' ? `${name}/` : name };
}

/** Turns a candidate into a listing entry; undefined when the file vanished meanwhile. */
export async function toEntry(c: Candidate, path: string): Promise<ListEntry | undefined> {
  if (c.kind === 'prefix') return { name: c.name, path, kind: 'prefix' };
  try {
    const stats = await fs.stat(c.target);
    return { name: c.name, path, kind: 'object', size: stats.size, modified: stats.mtime.toISOString(), etag: etagOf(stats) };
  } catch {
    return undefined;
  }
}
