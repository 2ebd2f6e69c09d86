/**
 * The connector contract (DESIGN §9). Connectors are the only place a cloud SDK is imported.
 * Tools never hold a connector directly: the gate hands one out after authorization.
 *
 * Paths are connector-relative, canonical (see policy/paths.ts), `/`-separated, with no
 * leading slash. A trailing `/` means a prefix (folder). For object stores the first segment
 * is the bucket; for `local` the path is relative to the configured root.
 */
export const CAPABILITIES = ['list', 'stat', 'read_object', 'read_table', 'query', 'write', 'delete'] as const;
export type Capability = (typeof CAPABILITIES)[number];

/** Identity of the cloud credentials a call runs under; never holds secret material. */
export interface CredentialScope {
  /** Stable, non-secret id, e.g. `aws:profile:prod`, `aws:role:arn:...`, `aws:static:3f2a9c`, `none`. */
  id: string;
  /** Resolved credential material for the SDK; never logged, cached or audited. */
  material?: AwsCredentialMaterial;
}

export interface AwsCredentialMaterial {
  kind: 'aws';
  profile?: string;
  roleArn?: string;
  externalId?: string;
  sessionTags?: Record<string, string>;
  accessKeyId?: string;
  secretAccessKey?: string;
  sessionToken?: string;
  region?: string;
}

export interface CallOptions {
  signal: AbortSignal;
  credentials: CredentialScope;
}

export type EntryKind = 'container' | 'prefix' | 'object';

export interface ListEntry {
  /** Last segment, for display. */
  name: string;
  /** Full connector-relative path (prefixes end with `/`). */
  path: string;
  kind: EntryKind;
  size?: number;
  modified?: string;
  etag?: string;
}

export interface ListPage {
  entries: ListEntry[];
  /** Opaque upstream continuation; the gate wraps it in an HMAC-bound cursor. */
  nextCursor?: string;
}

export interface ListOptions extends CallOptions {
  cursor?: string;
  limit: number;
  /** List everything below the prefix (no delimiter), used by glob expansion. */
  recursive?: boolean;
}

export interface ObjectStat {
  path: string;
  size: number;
  modified?: string;
  etag?: string;
  contentType?: string;
}

/** Random access to one object's bytes: Parquet footers and column chunks use this. */
export interface ByteSource {
  readonly path: string;
  readonly size: number;
  readonly etag?: string;
  /** Bytes [start, end) — end exclusive, like Array.slice. */
  read(start: number, end: number): Promise<Uint8Array>;
}

export interface Connector {
  readonly name: string;
  readonly kind: string;
  readonly capabilities: ReadonlySet<Capability>;
  list(path: string, options: ListOptions): Promise<ListPage>;
  stat(path: string, options: CallOptions): Promise<ObjectStat>;
  open(path: string, options: CallOptions): Promise<ByteSource>;
  close(): Promise<void>;
}

/** What the registry knows about a configured connector without touching it. */
export interface ConnectorInfo {
  name: string;
  kind: string;
  env: string;
  description?: string;
  capabilities: Capability[];
}
