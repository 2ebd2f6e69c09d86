/**
 * GCS uses the credential rules shared by all GCP connectors (service account scope, then the
 * connector's `credentials`, then Application Default Credentials); see `../gcp-credentials.ts`.
 */
export { gcpCredentialSource as gcsCredentialSource, type GcpCredentialSource as GcsCredentialSource } from '../gcp-credentials.js';
