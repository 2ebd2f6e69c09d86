/**
 * S3 uses the credential rules shared by all AWS connectors (service account scope, then the
 * connector's `credentials`, then the default chain); see `../aws-credentials.ts`.
 */
export { credentialSource, credentialsFor, type CredentialSource } from '../aws-credentials.js';
