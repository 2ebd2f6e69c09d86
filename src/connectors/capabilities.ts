import type { Capability } from './types.js';

/**
 * Capabilities are declared per kind, statically, so the registry can describe a connector
 * (and the gate can hide tools) without loading its SDK or creating a client.
 */
export const KIND_CAPABILITIES = {
  local: ['list', 'stat', 'read_object', 'write', 'delete'],
  s3: ['list', 'stat', 'read_object', 'write', 'delete'],
  gcs: ['list', 'stat', 'read_object', 'write', 'delete'],
  postgres: ['list', 'read_table', 'query'],
  redshift: ['list', 'read_table', 'query'],
  bigquery: ['list', 'read_table', 'query'],
  dynamodb: ['list', 'read_table', 'query', 'write'],
} as const satisfies Record<string, readonly Capability[]>;

export type ConnectorKindName = keyof typeof KIND_CAPABILITIES;

export function capabilitySet(kind: ConnectorKindName): ReadonlySet<Capability> {
  return new Set<Capability>(KIND_CAPABILITIES[kind]);
}
