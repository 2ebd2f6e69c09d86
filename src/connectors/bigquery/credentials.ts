/**
 * BigQuery uses the credential rules shared by all GCP connectors (service account scope, then
 * the connector's `credentials`, then Application Default Credentials); see `../gcp-credentials.ts`.
 */
export { gcpCredentialSource as bigqueryCredentialSource, type GcpCredentialSource as BigqueryCredentialSource } from '../gcp-credentials.js';
