/**
 * Sessions (issue 5): a scratch space bound to one principal, with a TTL, kept in the cache
 * (Redis, or memory when there is none). Every key is derived from a hash of the principal
 * scope, so another principal cannot read, list or even address a session; the id itself is
 * 128 random bits. Unknown, foreign and expired sessions all answer the same NOT_FOUND.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Table } from 'apache-arrow';
import type { Cache } from '../cache/types.js';
import type { AuthzRequest } from '../policy/types.js';
import { invalidArgument, limitExceeded, notFound } from '../results/errors.js';

export interface SessionLimits {
  ttlSeconds: number;
  maxTtlSeconds: number;
  maxPerPrincipal: number;
  /** Values plus compressed datasets of one session. */
  maxBytes: number;
}

export interface DatasetInfo {
  name: string;
  rows: number;
  columns: Array<{ name: string; type: string }>;
  bytes: number;
  savedAt: string;
  /** Random per save: part of a probe's cache key over it, so a re-save is never stale. */
  version: string;
}

export interface SessionManifest {
  id: string;
  label?: string;
  createdAt: string;
  expiresAt: string;
  values: Record<string, unknown>;
  datasets: DatasetInfo[];
}

interface StoredDataset {
  requests: AuthzRequest[];
}

const ID_PATTERN = /^s_[A-Za-z0-9_-]{22}$/;

export class SessionStore {
  /** Per-session promise chains: read-modify-write of a manifest is serialized in-process. */
  private readonly chains = new Map<string, Promise<unknown>>();

  constructor(
    private readonly cache: Cache,
    private readonly limits: SessionLimits,
    private readonly now: () => number = Date.now,
  ) {}

  /** The sessions of one principal scope; nothing here can name another scope's keys. */
  forScope(principalScope: string): PrincipalSessions {
    const owner = createHash('sha256').update(principalScope).digest('base64url').slice(0, 32);
    return new PrincipalSessions(this.cache, this.limits, `session:${owner}:`, this.now, (key, fn) => this.serialize(key, fn));
  }

  private serialize<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.chains.get(key) ?? Promise.resolve();
    const next = previous.then(fn, fn);
    const settled = next.catch(() => undefined);
    this.chains.set(key, settled);
    void settled.then(() => {
      if (this.chains.get(key) === settled) this.chains.delete(key);
    });
    return next;
  }
}

export class PrincipalSessions {
  constructor(
    private readonly cache: Cache,
    private readonly limits: SessionLimits,
    private readonly prefix: string,
    private readonly now: () => number,
    private readonly serialize: <T>(key: string, fn: () => Promise<T>) => Promise<T>,
  ) {}

  async create(options: { ttlSeconds?: number; label?: string }): Promise<SessionManifest> {
    const ttl = options.ttlSeconds ?? this.limits.ttlSeconds;
    if (ttl > this.limits.maxTtlSeconds) throw invalidArgument(`ttl_seconds ${ttl} is over the maximum of ${this.limits.maxTtlSeconds}`, `Use at most ${this.limits.maxTtlSeconds} seconds.`);
    return this.serialize(`${this.prefix}index`, async () => {
      const live = await this.list();
      if (live.length >= this.limits.maxPerPrincipal) throw limitExceeded(`you already hold ${live.length} open sessions (the maximum)`, 'Close a session you no longer need with session_close.');
      const created = this.now();
      const manifest: SessionManifest = {
        id: `s_${randomBytes(16).toString('base64url')}`,
        ...(options.label ? { label: options.label } : {}),
        createdAt: new Date(created).toISOString(),
        expiresAt: new Date(created + ttl * 1000).toISOString(),
        values: {},
        datasets: [],
      };
      await this.saveManifest(manifest);
      await this.saveIndex([...live.map((m) => ({ id: m.id, expiresAt: m.expiresAt })), { id: manifest.id, expiresAt: manifest.expiresAt }]);
      return manifest;
    });
  }

  /** Open sessions, oldest first; expired ones are dropped from the index as they are found. */
  async list(): Promise<SessionManifest[]> {
    const index = await this.readJson<Array<{ id: string; expiresAt: string }>>(`${this.prefix}index`);
    const manifests = await Promise.all((index ?? []).map((entry) => this.readManifest(entry.id)));
    return manifests.filter((m): m is SessionManifest => m !== undefined);
  }

  async get(id: string): Promise<SessionManifest> {
    const manifest = await this.readManifest(checkId(id));
    if (!manifest) throw notFound('no such session (it may have expired or been closed)', 'Call session_list to see your open sessions, or session_create for a new one.');
    return manifest;
  }

  async putValue(id: string, key: string, value: unknown): Promise<SessionManifest> {
    return this.update(id, (manifest) => {
      manifest.values[key] = value;
    });
  }

  async putDataset(id: string, name: string, table: Table, requests: AuthzRequest[]): Promise<SessionManifest> {
    // Loaded on first use: zlib and Arrow's IPC writer are not needed to start the server.
    const { encodeTableBlob } = await import('../cache/table-blob.js');
    const blob = await encodeTableBlob({ requests } satisfies StoredDataset, table);
    const { typeName } = await import('../formats/columns.js');
    return this.update(id, async (manifest) => {
      const info: DatasetInfo = { name, rows: table.numRows, columns: table.schema.fields.map((f) => ({ name: f.name, type: typeName(f.type) })), bytes: blob.byteLength, savedAt: new Date(this.now()).toISOString(), version: randomBytes(9).toString('base64url') };
      manifest.datasets = [...manifest.datasets.filter((d) => d.name !== name), info];
      this.checkSize(manifest);
      await this.cache.set(this.datasetKey(manifest.id, name), blob, secondsLeft(manifest, this.now()));
    });
  }

  /** A dataset and the grants it was made under (the caller re-checks them: policy may have changed). */
  async getDataset(id: string, name: string): Promise<{ table: Table; requests: AuthzRequest[]; info: DatasetInfo }> {
    const manifest = await this.get(id);
    const info = manifest.datasets.find((d) => d.name === name);
    if (!info) {
      const names = manifest.datasets.map((d) => JSON.stringify(d.name)).join(', ') || 'none';
      throw notFound(`session has no dataset "${name.slice(0, 64)}"`, `Datasets in this session: ${names}.`);
    }
    const stored = await this.cache.get(this.datasetKey(manifest.id, name));
    const { decodeTableBlob } = await import('../cache/table-blob.js');
    const decoded = stored.value ? await decodeTableBlob<StoredDataset>(stored.value) : undefined;
    if (!decoded) throw notFound(`dataset "${name}" is no longer held (evicted from the cache)`, 'Run the probe again with save_as.');
    return { table: decoded.table, requests: decoded.header.requests, info };
  }

  /** Removes the session and everything in it; returns what it held. */
  async close(id: string): Promise<SessionManifest> {
    const manifest = await this.get(id);
    await this.serialize(`${this.prefix}index`, async () => {
      await Promise.all([this.cache.delete(this.manifestKey(manifest.id)), ...manifest.datasets.map((d) => this.cache.delete(this.datasetKey(manifest.id, d.name)))]);
      const rest = (await this.list()).filter((m) => m.id !== manifest.id);
      await this.saveIndex(rest.map((m) => ({ id: m.id, expiresAt: m.expiresAt })));
    });
    return manifest;
  }

  private update(id: string, change: (manifest: SessionManifest) => void | Promise<void>): Promise<SessionManifest> {
    return this.serialize(this.manifestKey(checkId(id)), async () => {
      const manifest = await this.get(id);
      await change(manifest);
      this.checkSize(manifest);
      await this.saveManifest(manifest);
      return manifest;
    });
  }

  private checkSize(manifest: SessionManifest): void {
    const bytes = Buffer.byteLength(JSON.stringify(manifest.values)) + manifest.datasets.reduce((sum, d) => sum + d.bytes, 0);
    if (bytes > this.limits.maxBytes) throw limitExceeded(`the session would hold ${bytes} bytes; the limit is ${this.limits.maxBytes}`, 'Store less: aggregate or select columns before save_as, or close old sessions.');
  }

  private async readManifest(id: string): Promise<SessionManifest | undefined> {
    const manifest = await this.readJson<SessionManifest>(this.manifestKey(id));
    if (!manifest || Date.parse(manifest.expiresAt) <= this.now()) return undefined;
    return manifest;
  }

  private async saveManifest(manifest: SessionManifest): Promise<void> {
    await this.cache.set(this.manifestKey(manifest.id), Buffer.from(JSON.stringify(manifest)), secondsLeft(manifest, this.now()));
  }

  private async saveIndex(entries: Array<{ id: string; expiresAt: string }>): Promise<void> {
    const now = this.now();
    const live = entries.filter((e) => Date.parse(e.expiresAt) > now);
    const longest = Math.max(1, ...live.map((e) => Math.ceil((Date.parse(e.expiresAt) - now) / 1000)));
    await this.cache.set(`${this.prefix}index`, Buffer.from(JSON.stringify(live)), longest);
  }

  private async readJson<T>(key: string): Promise<T | undefined> {
    const got = await this.cache.get(key);
    if (!got.value) return undefined;
    try {
      return JSON.parse(Buffer.from(got.value).toString('utf8')) as T;
    } catch {
      return undefined;
    }
  }

  private manifestKey(id: string): string {
    return `${this.prefix}${id}`;
  }

  private datasetKey(id: string, name: string): string {
    return `${this.prefix}${id}:ds:${name}`;
  }
}

function checkId(id: string): string {
  if (!ID_PATTERN.test(id)) throw notFound('no such session (it may have expired or been closed)', 'Use a session id exactly as session_create or session_list returned it.');
  return id;
}

function secondsLeft(manifest: SessionManifest, now: number): number {
  return Math.max(1, Math.ceil((Date.parse(manifest.expiresAt) - now) / 1000));
}
