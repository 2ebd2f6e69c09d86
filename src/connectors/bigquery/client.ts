import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type * as BigquerySdkModule from '@google-cloud/bigquery';
import type { BigQuery, BigQueryOptions } from '@google-cloud/bigquery';
import type * as AuthLibraryModule from 'google-auth-library';
import type { BigqueryConnectorConfig } from '../../config/schema.js';
import { ClientPool } from '../client-pool.js';
import { lazyModule, moduleLoadFailed } from '../sdk-loader.js';
import type { CredentialScope, GcpCredentialMaterial } from '../types.js';
import { bigqueryCredentialSource, type BigqueryCredentialSource } from './credentials.js';

/** Type-only: erased at compile time, so this module does not load the SDK. */
export type BigquerySdk = typeof BigquerySdkModule;
type AuthLibrary = typeof AuthLibraryModule;
export type BigqueryAuthClient = NonNullable<BigQueryOptions['authClient']>;

/** Loads the BigQuery SDK on first use only (cold start must not pay for it). */
export const loadBigquerySdk: () => Promise<BigquerySdk> = lazyModule('BigQuery SDK', () => import('@google-cloud/bigquery'));

/**
 * google-auth-library exactly as the BigQuery SDK resolves it (through @google-cloud/common):
 * an auth client of another major version does not fit its GoogleAuth (request headers changed
 * shape between v9 and v10), and the GCS SDK pins the other major.
 */
export async function loadBigqueryAuthLibrary(): Promise<AuthLibrary> {
  try {
    const sdkEntry = createRequire(import.meta.url).resolve('@google-cloud/bigquery');
    const commonEntry = createRequire(sdkEntry).resolve('@google-cloud/common');
    const authEntry = createRequire(commonEntry).resolve('google-auth-library');
    return (await import(pathToFileURL(authEntry).href)) as AuthLibrary;
  } catch (error) {
    throw moduleLoadFailed('Google auth library', error);
  }
}

const BIGQUERY_SCOPE = 'https://www.googleapis.com/auth/bigquery';

/** SDK auth options for the material: a key file, impersonation (on a key file or ADC), or ADC. */
async function authOptionsFor(material: GcpCredentialMaterial | undefined): Promise<Partial<BigQueryOptions>> {
  if (!material) return {};
  if (!material.impersonate) return material.keyFile ? { keyFilename: material.keyFile } : {};
  const auth = await loadBigqueryAuthLibrary();
  const source = new auth.GoogleAuth({ ...(material.keyFile ? { keyFilename: material.keyFile } : {}), scopes: ['https://www.googleapis.com/auth/cloud-platform'] });
  const sourceClient = await source.getClient();
  const authClient = new auth.Impersonated({ sourceClient, targetPrincipal: material.impersonate, targetScopes: [BIGQUERY_SCOPE], lifetime: 3600 });
  return { authClient };
}

/**
 * Options for code that constructs the connector itself (tests, embedding). Nothing here is
 * reachable from config or from tool arguments.
 */
export interface BigqueryClientSeams {
  /**
   * Use this auth client instead of resolving credentials (tests pass an OAuth2Client holding
   * a static access token). The credential source is still resolved first, so a scope that
   * names credentials it does not carry is still refused.
   */
  authClient?: BigqueryAuthClient;
}

/** The BigQuery options for one credential source; exported for unit tests of the wiring. */
export async function bigqueryOptionsFor(source: BigqueryCredentialSource, config: BigqueryConnectorConfig, seams: BigqueryClientSeams): Promise<BigQueryOptions> {
  return {
    projectId: config.project_id,
    ...(config.location ? { location: config.location } : {}),
    // BigQuery authenticates even against a custom endpoint (unlike storage), so a test double
    // needs an auth client too: that is what the seam is for.
    ...(config.api_endpoint ? { apiEndpoint: config.api_endpoint.replace(/\/+$/, '') } : {}),
    ...(seams.authClient ? { authClient: seams.authClient } : await authOptionsFor(source.material)),
    // Few retries: a call has its own deadline, and the gate reports UNAVAILABLE.
    autoRetry: true,
    maxRetries: 2,
  };
}

export interface BigqueryHandle {
  sdk: BigquerySdk;
  client: BigQuery;
}

/** One BigQuery client per credential source (SA scope, connector credentials, or ADC). */
export class BigqueryClientPool {
  private readonly clients = new ClientPool<BigqueryHandle>();

  constructor(
    private readonly config: BigqueryConnectorConfig,
    private readonly seams: BigqueryClientSeams,
  ) {}

  get(scope: CredentialScope): Promise<BigqueryHandle> {
    let source: BigqueryCredentialSource;
    try {
      source = bigqueryCredentialSource(scope, this.config);
    } catch (error) {
      return Promise.reject(error as Error);
    }
    return this.clients.get(source.key, () => this.create(source));
  }

  private async create(source: BigqueryCredentialSource): Promise<BigqueryHandle> {
    const sdk = await loadBigquerySdk();
    return { sdk, client: new sdk.BigQuery(await bigqueryOptionsFor(source, this.config, this.seams)) };
  }

  /** Clients hold no sockets of their own (requests use the shared agent); forget them. */
  close(): void {
    this.clients.clear();
  }
}
