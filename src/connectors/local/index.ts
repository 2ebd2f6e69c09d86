import type { LocalConnectorConfig } from '../../config/schema.js';
import { DataMcpError } from '../../results/errors.js';
import { throwIfAborted } from '../abort.js';
import { capabilitySet } from '../capabilities.js';
import type { ConnectorContext } from '../kinds.js';
import { asPrefix, checkLimit, checkPath, parentPrefix } from '../path-guard.js';
import type { ByteSource, CallOptions, Capability, Connector, ListOptions, ListPage, ObjectStat, WriteOptions, WriteResult } from '../types.js';
import { etagOf } from './entries.js';
import { listOneLevel, listRecursive } from './list.js';
import { LocalByteSource } from './read.js';
import { realRelative, resolveInside, resolveRoot } from './resolve.js';
import { deleteFile, writeFileAtomic, type LocalTarget } from './write.js';

/** A folder on the server's disk (DESIGN §9): the embedded default connector. */
export class LocalConnector implements Connector {
  readonly kind = 'local';
  readonly capabilities: ReadonlySet<Capability> = capabilitySet('local');

  constructor(
    readonly name: string,
    private readonly rootReal: string,
  ) {}

  async list(path: string, options: ListOptions): Promise<ListPage> {
    throwIfAborted(options.signal);
    const checked = checkPath(path);
    const limit = checkLimit(options.limit, 10_000);
    const { real, stats } = await resolveInside(this.rootReal, checked.segments, this.name, path);
    if (!stats.isDirectory()) {
      throw new DataMcpError('INVALID_ARGUMENT', `"${path}" is a file, not a folder`, 'Use describe or read_data on a file; browse lists folders.');
    }
    const scope = {
      dirAbs: real,
      dirPrefix: asPrefix(checked.segments),
      rootReal: this.rootReal,
      limit,
      signal: options.signal,
      ...(options.cursor !== undefined ? { cursor: options.cursor } : {}),
    };
    return options.recursive ? listRecursive(scope) : listOneLevel(scope);
  }

  async stat(path: string, options: CallOptions): Promise<ObjectStat> {
    throwIfAborted(options.signal);
    const { stats } = await this.resolveFile(path);
    return { path, size: stats.size, modified: stats.mtime.toISOString(), etag: etagOf(stats) };
  }

  async open(path: string, options: CallOptions): Promise<ByteSource> {
    throwIfAborted(options.signal);
    const { real, stats } = await this.resolveFile(path);
    return new LocalByteSource(path, stats.size, etagOf(stats), real, this.name, options.signal);
  }

  async linkTarget(path: string): Promise<string | undefined> {
    const checked = checkPath(path);
    const real = await realRelative(this.rootReal, checked.segments);
    if (real === undefined) return undefined;
    const target = checked.isPrefix && real !== '' ? `${real}/` : real;
    return target === path ? undefined : target;
  }

  async write(path: string, data: Uint8Array | AsyncIterable<Uint8Array>, options: WriteOptions): Promise<WriteResult> {
    return writeFileAtomic(this.target(path, options), data, options.createOnly);
  }

  async delete(path: string, options: CallOptions): Promise<void> {
    await deleteFile(this.target(path, options));
  }

  async close(): Promise<void> {
    // Nothing is held open between calls.
  }

  /** A file path to write or delete: never the root or a folder path. */
  private target(path: string, options: CallOptions): LocalTarget {
    throwIfAborted(options.signal);
    const checked = checkPath(path);
    if (checked.isPrefix || checked.segments.length === 0) throw folderError(path);
    return { rootReal: this.rootReal, segments: checked.segments, path, connector: this.name, signal: options.signal };
  }

  private async resolveFile(path: string) {
    const checked = checkPath(path);
    if (checked.isPrefix || checked.segments.length === 0) throw folderError(path);
    const resolved = await resolveInside(this.rootReal, checked.segments, this.name, path);
    if (resolved.stats.isDirectory()) throw folderError(path);
    if (!resolved.stats.isFile()) {
      throw new DataMcpError('NOT_FOUND', `"${path}" is not a regular file`, `Browse "${parentPrefix(path)}" to see the files there.`);
    }
    return resolved;
  }
}

function folderError(path: string): DataMcpError {
  return new DataMcpError('INVALID_ARGUMENT', `"${path}" is a folder, not a file`, 'Browse a folder to list its files; describe and read take a file path.');
}

export async function createLocalConnector(name: string, config: LocalConnectorConfig, context: ConnectorContext): Promise<Connector> {
  const rootReal = await resolveRoot(config.root, context.baseDir ?? process.cwd(), name);
  return new LocalConnector(name, rootReal);
}
