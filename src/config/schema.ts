import { z } from 'zod';

/**
 * The one configuration schema (DESIGN §12). `config.example.yaml` documents every key here;
 * keep the two in step. Unknown keys are errors (`strict`), so a typo never silently
 * disables a control.
 */

const identifier = z
  .string()
  .regex(/^[a-z][a-z0-9_-]{0,62}$/, 'lowercase letters, digits, "_" or "-", starting with a letter');

const attributeValue = z.union([z.string(), z.number(), z.boolean()]);

export const TOOLSETS = ['catalog', 'data', 'probe', 'pipeline', 'iac', 'analytics', 'admin', 'upstream'] as const;
export type Toolset = (typeof TOOLSETS)[number];

const ttlSchema = z
  .object({
    read: z.number().int().min(0).max(86_400).default(300),
    list: z.number().int().min(0).max(86_400).default(30),
    schema: z.number().int().min(0).max(604_800).default(3600),
  })
  .strict();

const awsCredentials = z
  .object({
    profile: z.string().min(1).optional(),
    role_arn: z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/, 'an IAM role ARN').optional(),
    external_id: z.string().min(1).optional(),
    session_tags: z.record(z.string(), z.string()).optional(),
    /** Static keys, for S3-compatible stores such as MinIO; use ${ENV} interpolation, never literals. */
    access_key_id: z.string().min(1).optional(),
    secret_access_key: z.string().min(1).optional(),
    region: z.string().min(1).optional(),
  })
  .strict()
  .refine((c) => !(c.access_key_id && !c.secret_access_key) && !(c.secret_access_key && !c.access_key_id), {
    message: 'access_key_id and secret_access_key go together',
  });

const gcpCredentials = z
  .object({
    key_file: z.string().min(1).optional(),
    impersonate: z.string().email().optional(),
  })
  .strict();

const serviceAccount = z
  .object({
    id: identifier,
    description: z.string().optional(),
    roles: z.array(identifier).min(1),
    attributes: z.record(z.string(), attributeValue).default({}),
    aws: awsCredentials.optional(),
    gcp: gcpCredentials.optional(),
  })
  .strict();

/** Tags attached to every Location at or below a path (`classification`, `department`, ...). */
const annotations = z.record(z.string(), z.record(z.string(), z.string()));

const connectorBase = {
  description: z.string().optional(),
  env: z.string().min(1).optional(),
  annotations: annotations.default({}),
  ttl: ttlSchema.partial().optional(),
};

const localConnector = z
  .object({
    kind: z.literal('local'),
    root: z.string().min(1),
    ...connectorBase,
  })
  .strict();

const s3Connector = z
  .object({
    kind: z.literal('s3'),
    /** Buckets the connector exposes; the root listing shows exactly these. */
    buckets: z.array(z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'a valid S3 bucket name')).min(1),
    region: z.string().min(1).default('us-east-1'),
    /** For S3-compatible stores (MinIO, ...). Operator config only: no tool argument is an endpoint. */
    endpoint: z.string().url().optional(),
    force_path_style: z.boolean().default(false),
    /** Used when the calling service account declares no `aws` credentials of its own. */
    credentials: awsCredentials.optional(),
    ...connectorBase,
  })
  .strict();

/** For test doubles and emulators only; operator config, never a tool argument. */
const endpointUrl = z.string().url();

const gcsConnector = z
  .object({
    kind: z.literal('gcs'),
    buckets: z.array(z.string().regex(/^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$/, 'a valid GCS bucket name')).min(1),
    project_id: z.string().min(1).optional(),
    api_endpoint: endpointUrl.optional(),
    /** Used when the calling service account declares no `gcp` credentials. */
    credentials: gcpCredentials.optional(),
    ...connectorBase,
  })
  .strict();

const postgresConnector = z
  .object({
    kind: z.literal('postgres'),
    host: z.string().min(1),
    port: z.number().int().min(1).max(65_535).default(5432),
    database: z.string().min(1),
    user: z.string().min(1),
    /** Use ${ENV} interpolation; registered with the secret scrubber. */
    password: z.string().optional(),
    ssl: z
      .object({
        mode: z.enum(['disable', 'require', 'verify-full']).default('disable'),
        ca_file: z.string().min(1).optional(),
      })
      .strict()
      .default({ mode: 'disable' }),
    /** Schemas the connector exposes (browse, query); all non-system schemas when absent. */
    schemas: z.array(z.string().min(1)).optional(),
    pool_max: z.number().int().min(1).max(100).default(5),
    statement_timeout_ms: z.number().int().min(100).max(3_600_000).default(30_000),
    ...connectorBase,
  })
  .strict();

const redshiftConnector = z
  .object({
    kind: z.literal('redshift'),
    region: z.string().min(1).default('us-east-1'),
    database: z.string().min(1),
    /** Serverless workgroup, or a provisioned cluster (with db_user or secret_arn). */
    workgroup_name: z.string().min(1).optional(),
    cluster_identifier: z.string().min(1).optional(),
    db_user: z.string().min(1).optional(),
    secret_arn: z.string().min(1).optional(),
    endpoint: endpointUrl.optional(),
    credentials: awsCredentials.optional(),
    schemas: z.array(z.string().min(1)).optional(),
    poll_interval_ms: z.number().int().min(10).max(10_000).default(250),
    statement_timeout_ms: z.number().int().min(100).max(3_600_000).default(60_000),
    ...connectorBase,
  })
  .strict()
  .refine((c) => Boolean(c.workgroup_name) !== Boolean(c.cluster_identifier), { message: 'set exactly one of workgroup_name or cluster_identifier' });

const bigqueryConnector = z
  .object({
    kind: z.literal('bigquery'),
    project_id: z.string().min(1),
    location: z.string().min(1).optional(),
    datasets: z.array(z.string().min(1)).optional(),
    /** Every job carries this ceiling; an agent may lower it, never raise it. */
    maximum_bytes_billed: z.number().int().min(1).default(1024 ** 3),
    /** Price used for the dry-run cost estimate (USD per TiB scanned). */
    usd_per_tib: z.number().min(0).default(6.25),
    api_endpoint: endpointUrl.optional(),
    credentials: gcpCredentials.optional(),
    ...connectorBase,
  })
  .strict();

const dynamodbConnector = z
  .object({
    kind: z.literal('dynamodb'),
    region: z.string().min(1).default('us-east-1'),
    endpoint: endpointUrl.optional(),
    credentials: awsCredentials.optional(),
    /** Tables the connector exposes; all tables when absent. */
    tables: z.array(z.string().min(3)).optional(),
    scan: z
      .object({ enabled: z.boolean().default(false), max_items: z.number().int().min(1).max(1_000_000).default(10_000) })
      .strict()
      .default({ enabled: false, max_items: 10_000 }),
    ...connectorBase,
  })
  .strict();

export const connectorSchema = z.discriminatedUnion('kind', [localConnector, s3Connector, gcsConnector, postgresConnector, redshiftConnector, bigqueryConnector, dynamodbConnector]);
export type ConnectorConfig = z.infer<typeof connectorSchema>;
export type LocalConnectorConfig = z.infer<typeof localConnector>;
export type S3ConnectorConfig = z.infer<typeof s3Connector>;
export type GcsConnectorConfig = z.infer<typeof gcsConnector>;
export type PostgresConnectorConfig = z.infer<typeof postgresConnector>;
export type RedshiftConnectorConfig = z.infer<typeof redshiftConnector>;
export type BigqueryConnectorConfig = z.infer<typeof bigqueryConnector>;
export type DynamodbConnectorConfig = z.infer<typeof dynamodbConnector>;

const keysSchema = z
  .object({
    /** Name of the environment variable that holds the HS256 secret (never the secret itself). */
    hs256_secret_env: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable name').optional(),
    /** PEM file with an Ed25519 public key (SPKI). */
    ed25519_public_key_file: z.string().min(1).optional(),
    /** PEM file with the Ed25519 private key (PKCS#8), used only by `data-mcp token issue`. */
    ed25519_private_key_file: z.string().min(1).optional(),
  })
  .strict();

const authSchema = z
  .object({
    mode: z.enum(['none', 'token']).default('none'),
    /** With mode `none`, every call is bound to this service account. */
    default_service_account: identifier.optional(),
    issuer: z.string().min(1).optional(),
    audience: z.string().min(1).default('data-mcp'),
    keys: keysSchema.default({}),
    /** Accept a per-call token in `_meta["data-mcp/token"]` (hosts that serve several agents). */
    per_call_token: z.boolean().default(false),
    clock_tolerance_seconds: z.number().int().min(0).max(300).default(30),
    service_accounts: z.array(serviceAccount).min(1),
  })
  .strict();

const serverSchema = z
  .object({
    name: z.string().min(1).default('data-mcp'),
    /** Environment name, passed to every policy decision as `context.env`. */
    env: z.string().min(1).default('dev'),
    toolsets: z.array(z.enum(TOOLSETS)).min(1).default(['catalog', 'data', 'probe']),
    read_only: z.boolean().default(true),
    /** Serve the destructive tier (replace_data, delete_data); needs read_only: false too. */
    allow_destructive: z.boolean().default(false),
    result_budget: z
      .object({
        max_rows: z.number().int().min(1).max(10_000).default(50),
        max_bytes: z.number().int().min(1024).max(1_000_000).default(80_000),
      })
      .strict()
      .default({ max_rows: 50, max_bytes: 80_000 }),
    limits: z
      .object({
        /** Largest object a read may pull through the process. */
        max_object_bytes: z.number().int().min(1).default(512 * 1024 * 1024),
        /** Upper bound on rows a single read materializes before the budget applies. */
        max_rows: z.number().int().min(1).default(1_000_000),
        /** Objects a glob may expand to. */
        max_objects: z.number().int().min(1).max(100_000).default(1000),
        /** Wall-clock ceiling of one tool call. */
        call_timeout_ms: z.number().int().min(100).default(120_000),
      })
      .strict()
      .default({ max_object_bytes: 512 * 1024 * 1024, max_rows: 1_000_000, max_objects: 1000, call_timeout_ms: 120_000 }),
    /** Result handles and cursors expire after this long. */
    handle_ttl_seconds: z.number().int().min(60).max(86_400).default(3600),
    /** HMAC key for handles and cursors; random per process when absent (handles then die with it). */
    handle_secret: z.string().min(32).optional(),
  })
  .strict();

const cacheSchema = z
  .object({
    redis_url: z.string().regex(/^rediss?:\/\//, 'a redis:// or rediss:// URL').optional(),
    key_prefix: z.string().default('data-mcp:'),
    command_timeout_ms: z.number().int().min(10).max(10_000).default(250),
    memory_max_entries: z.number().int().min(0).default(1000),
    memory_max_bytes: z.number().int().min(0).default(128 * 1024 * 1024),
    ttl: ttlSchema.default({ read: 300, list: 30, schema: 3600 }),
  })
  .strict();

const auditSchema = z
  .object({
    /** Append-only JSONL file (mode 0600). Default: the user's state directory. */
    path: z.string().min(1).optional(),
    /** PEM Ed25519 private key for checkpoints; generated beside the log (0600) when absent. */
    checkpoint_key_file: z.string().min(1).optional(),
    checkpoint_every: z.number().int().min(1).max(1_000_000).default(100),
    checkpoint_seconds: z.number().int().min(1).max(86_400).default(60),
    /** `strict`: fsync write-class calls and denials before returning (DESIGN §7); `always`: every record. */
    fsync: z.enum(['strict', 'always']).default('strict'),
    /**
     * Rotate the active file before a record would take it past this size: it is closed with a
     * signed checkpoint and renamed `<path>.000001`, `.000002`, …; the chain continues in a new
     * file. 0 = never rotate. Rotated files are never deleted by the server (retention is yours).
     */
    rotate_bytes: z
      .number()
      .int()
      .min(0)
      .refine((n) => n === 0 || n >= 4096, '0 (never rotate) or at least 4096 bytes')
      .default(64 * 1024 * 1024),
  })
  .strict();

const probeSchema = z
  .object({
    /** Default lifetime of a cached probe result; a call may lower it (0 = do not cache). */
    cache_ttl_seconds: z.number().int().min(0).max(86_400).default(600),
    /** Largest compressed probe result kept in the cache; bigger results are recomputed. */
    max_cached_bytes: z.number().int().min(0).default(64 * 1024 * 1024),
    max_sources: z.number().int().min(1).max(32).default(8),
    max_steps: z.number().int().min(1).max(200).default(50),
    /** Modules of custom processors, loaded at start (never named by a tool argument). */
    processors: z.array(z.string().min(1)).max(32).default([]),
  })
  .strict();

const sessionsSchema = z
  .object({
    ttl_seconds: z.number().int().min(60).max(604_800).default(3600),
    max_ttl_seconds: z.number().int().min(60).max(604_800).default(86_400),
    max_per_principal: z.number().int().min(1).max(1000).default(20),
    /** Values plus compressed datasets of one session. */
    max_bytes: z.number().int().min(1024).default(64 * 1024 * 1024),
  })
  .strict();

const policiesSchema = z
  .object({
    /** Folder with schema.cedarschema and *.cedar files. Default: the bundled policies/. */
    dir: z.string().min(1).optional(),
  })
  .strict();

export const configSchema = z
  .object({
    server: serverSchema.default(serverSchema.parse({})),
    auth: authSchema,
    connectors: z.record(identifier, connectorSchema).refine((c) => Object.keys(c).length > 0, {
      message: 'at least one connector is required',
    }),
    cache: cacheSchema.default(cacheSchema.parse({})),
    audit: auditSchema.default(auditSchema.parse({})),
    policies: policiesSchema.default({}),
    probe: probeSchema.default(probeSchema.parse({})),
    sessions: sessionsSchema.default(sessionsSchema.parse({})),
  })
  .strict()
  .superRefine((cfg, ctx) => {
    const ids = new Set<string>();
    cfg.auth.service_accounts.forEach((sa, i) => {
      if (ids.has(sa.id)) ctx.addIssue({ code: 'custom', path: ['auth', 'service_accounts', i, 'id'], message: `duplicate service account "${sa.id}"` });
      ids.add(sa.id);
    });
    if (cfg.auth.mode === 'none') {
      const sa = cfg.auth.default_service_account;
      if (!sa) ctx.addIssue({ code: 'custom', path: ['auth', 'default_service_account'], message: 'required when auth.mode is "none"' });
      else if (!ids.has(sa)) ctx.addIssue({ code: 'custom', path: ['auth', 'default_service_account'], message: `no service account "${sa}" is declared` });
    }
    if (cfg.auth.mode === 'token' && !cfg.auth.keys.hs256_secret_env && !cfg.auth.keys.ed25519_public_key_file) {
      ctx.addIssue({ code: 'custom', path: ['auth', 'keys'], message: 'token mode needs hs256_secret_env or ed25519_public_key_file' });
    }
  });

export type Config = z.infer<typeof configSchema>;
export type ServiceAccountConfig = z.infer<typeof serviceAccount>;
export type AwsCredentialsConfig = z.infer<typeof awsCredentials>;
