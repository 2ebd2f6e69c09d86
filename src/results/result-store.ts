import { randomBytes } from 'node:crypto';
import { tableFromIPC, tableToIPC, type Table } from 'apache-arrow';
import type { Cache } from '../cache/types.js';
import type { AuthzRequest } from '../policy/types.js';

/**
 * Full results of truncated calls, kept for `result://` reads. Stored in the cache (Redis or
 * memory) as Arrow IPC next to the requests that produced them, so a later read re-checks
 * the policy for exactly those resources.
 */
export interface StoredResult {
  table: Table;
  requests: AuthzRequest[];
  tool: string;
}

export class ResultStore {
  constructor(
    private readonly cache: Cache,
    private readonly ttlSeconds: number,
  ) {}

  async put(result: StoredResult): Promise<string> {
    const id = randomBytes(12).toString('base64url');
    const header = Buffer.from(JSON.stringify({ requests: result.requests, tool: result.tool }));
    const ipc = tableToIPC(result.table, 'stream');
    const lengthPrefix = Buffer.alloc(4);
    lengthPrefix.writeUInt32BE(header.length);
    await this.cache.set(this.key(id), Buffer.concat([lengthPrefix, header, ipc]), this.ttlSeconds);
    return id;
  }

  async get(id: string): Promise<StoredResult | undefined> {
    const got = await this.cache.get(this.key(id));
    if (!got.value) return undefined;
    const bytes = Buffer.from(got.value.buffer, got.value.byteOffset, got.value.byteLength);
    const headerLength = bytes.readUInt32BE(0);
    const header = JSON.parse(bytes.subarray(4, 4 + headerLength).toString('utf8')) as { requests: AuthzRequest[]; tool: string };
    return { ...header, table: tableFromIPC(bytes.subarray(4 + headerLength)) };
  }

  private key(id: string): string {
    return `result:${id}`;
  }
}
