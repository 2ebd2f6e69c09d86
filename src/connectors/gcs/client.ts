import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type * as GcsSdkModule from '@google-cloud/storage';
import type { Storage, StorageOptions } from '@google-cloud/storage';
import type { GcsConnectorConfig } from '../../config/schema.js';
import { ClientPool } from '../client-pool.js';
import { lazyModule, moduleLoadFailed } from '../sdk-loader.js';
import type { CredentialScope, GcpCredentialMaterial } from '../types.js';
import { gcsCredentialSource, type GcsCredentialSource } from './credentials.js';

/** Type-only: erased at compile time, so this module does not load the SDK. */
export type GcsSdk = typeof GcsSdkModule;

/** Loads the Cloud Storage SDK on first use only (cold start must not pay for it). */
export const loadGcsSdk: () => Promise<GcsSdk> = lazyModule('Cloud Storage SDK', () => import('@google-cloud/storage'));

/** The few google-auth-library classes used for impersonation (typed loosely on purpose, see below). */
interface AuthLibrary {
  GoogleAuth: new (options: { keyFilename?: string; scopes: string[] }) => { getClient(): Promise<unknown> };
  Impersonated: new (options: { sourceClient: unknown; targetPrincipal: string; targetScopes: string[]; lifetime: number }) => unknown;
}

/**
 * google-auth-library exactly as the storage SDK resolves it: the project may hold another
 * major version at top level (v10 for BigQuery), and an auth client of the wrong major does
 * not fit storage 7's GoogleAuth (v9 headers are plain objects, v10 ones are `Headers`).
 */
async function loadAuthLibrary(): Promise<AuthLibrary> {
  try {
    const storageEntry = createRequire(import.meta.url).resolve('@google-cloud/storage');
    const authEntry = createRequire(storageEntry).resolve('google-auth-library');
    return (await import(pathToFileURL(authEntry).href)) as AuthLibrary;
  } catch (error) {
    throw moduleLoadFailed('Google auth library', error);
  }
}

const SCOPES = ['https://www.googleapis.com/auth/devstorage.read_write'];

/** SDK auth options for the material: a key file, impersonation (on a key file or ADC), or ADC. */
async function authOptionsFor(material: GcpCredentialMaterial | undefined): Promise<Partial<StorageOptions>> {
  if (!material) return {};
  if (!material.impersonate) return material.keyFile ? { keyFilename: material.keyFile } : {};
  const auth = await loadAuthLibrary();
  const sourceClient = await new auth.GoogleAuth({ ...(material.keyFile ? { keyFilename: material.keyFile } : {}), scopes: ['https://www.googleapis.com/auth/cloud-platform'] }).getClient();
  const authClient = new auth.Impersonated({ sourceClient, targetPrincipal: material.impersonate, targetScopes: SCOPES, lifetime: 3600 });
  return { authClient: authClient as StorageOptions['authClient'] };
}

/** The Storage options for one credential source; exported for unit tests of the wiring. */
export async function storageOptionsFor(source: GcsCredentialSource, config: GcsConnectorConfig): Promise<StorageOptions> {
  return {
    ...(config.project_id ? { projectId: config.project_id } : {}),
    // A custom endpoint (emulator, test double) gets no auth from the SDK, so no credentials
    // are resolved for it either (ADC lookups would probe the metadata server for nothing).
    ...(config.api_endpoint ? { apiEndpoint: config.api_endpoint.replace(/\/+$/, '') } : await authOptionsFor(source.material)),
    // Few, short retries: a call has its own deadline, and the gate reports UNAVAILABLE.
    retryOptions: { autoRetry: true, maxRetries: 2, maxRetryDelay: 8, totalTimeout: 60 },
    timeout: 60_000,
  };
}

export interface GcsHandle {
  sdk: GcsSdk;
  storage: Storage;
}

/** One Storage client per credential source (SA scope, connector credentials, or ADC). */
export class GcsClientPool {
  private readonly clients = new ClientPool<GcsHandle>();

  constructor(private readonly config: GcsConnectorConfig) {}

  get(scope: CredentialScope): Promise<GcsHandle> {
    let source: GcsCredentialSource;
    try {
      source = gcsCredentialSource(scope, this.config);
    } catch (error) {
      return Promise.reject(error as Error);
    }
    return this.clients.get(source.key, () => this.create(source));
  }

  private async create(source: GcsCredentialSource): Promise<GcsHandle> {
    const sdk = await loadGcsSdk();
    return { sdk, storage: new sdk.Storage(await storageOptionsFor(source, this.config)) };
  }

  /** Storage clients hold no sockets of their own (requests use the shared agent); forget them. */
  close(): void {
    this.clients.clear();
  }
}
