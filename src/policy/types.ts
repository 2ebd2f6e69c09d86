/** Cedar actions (DESIGN §5). Each tool call maps to one or more (action, resource) requests. */
export const ACTIONS = [
  'list',
  'read',
  'query',
  'write',
  'delete',
  'deliver',
  'pipeline_run',
  'iac_generate',
  'iac_apply',
  'gitops_commit',
  'admin',
  'upstream_call',
] as const;
export type Action = (typeof ACTIONS)[number];

/** A resource is a whole connector or a canonical Location inside it. */
export type ResourceRef =
  | { type: 'Connector'; connector: string }
  | { type: 'Location'; connector: string; path: string };

export interface AuthzRequest {
  action: Action;
  resource: ResourceRef;
}

/** Context is computed by the server, never by the agent. */
export interface AuthzContext {
  env: string;
  now: Date;
  tool: string;
  agent: string;
}

export interface Decision {
  allowed: boolean;
  /** Policy ids that determined the decision (for audit and policy_explain). */
  policies: string[];
  /** Evaluation or validation errors; any error is a deny. */
  errors: string[];
  memoized: boolean;
}

/** Canonical string id of a resource, e.g. `lake/reports/2026/` or `lake` for a connector. */
export function resourceId(ref: ResourceRef): string {
  return ref.type === 'Connector' ? ref.connector : `${ref.connector}/${ref.path}`;
}
