/**
 * What each tool can do, written down here from its documented behaviour — not derived from
 * the code under test — so a dishonest annotation shows up as a difference. A hint may only
 * be as safe as the worst thing the tool can do on the server being served:
 * - readOnlyHint true only when the tool changes nothing at all (not even the caller's scratch);
 * - destructiveHint false only when every change it can make is additive (create-only);
 * - idempotentHint true only when a repeat has no further effect;
 * - openWorldHint false only when it never reaches a connector (config and session state only).
 */
export interface ToolFacts {
  /** Changes something (a connector, or the caller's sessions) on a writable server. */
  writes: boolean | 'when-writable';
  /** Can overwrite, update or remove what exists (on the fully enabled server). */
  replaces: boolean | 'when-writable';
  /** Reaches a data source or destination. */
  openWorld: boolean;
}

export const TOOL_FACTS: Record<string, ToolFacts> = {
  whoami: { writes: false, replaces: false, openWorld: false },
  list_connectors: { writes: false, replaces: false, openWorld: false },
  browse: { writes: false, replaces: false, openWorld: true },
  describe: { writes: false, replaces: false, openWorld: true },
  read_data: { writes: false, replaces: false, openWorld: true },
  summarize: { writes: false, replaces: false, openWorld: true },
  // SQL INSERT once the server is writable and policy grants write; UPDATE/DELETE/MERGE only
  // where the destructive tier is served (the full server below serves it).
  query: { writes: 'when-writable', replaces: 'when-writable', openWorld: true },
  write_data: { writes: true, replaces: false, openWorld: true },
  replace_data: { writes: true, replaces: true, openWorld: true },
  delete_data: { writes: true, replaces: true, openWorld: true },
  // destination (create-only) on a writable server; overwrite where the destructive tier is served.
  run_probe: { writes: 'when-writable', replaces: 'when-writable', openWorld: true },
  session_create: { writes: true, replaces: false, openWorld: false },
  // Replaces any previous value under the key.
  session_put: { writes: true, replaces: true, openWorld: false },
  session_get: { writes: false, replaces: false, openWorld: false },
  session_list: { writes: false, replaces: false, openWorld: false },
  // Drops the session; its archive option writes objects to a connector.
  session_close: { writes: true, replaces: true, openWorld: true },
};

export interface Annotations {
  readOnlyHint?: boolean;
  destructiveHint?: boolean;
  idempotentHint?: boolean;
  openWorldHint?: boolean;
}

/** Differences between a tool's annotations and what the table says it can do (empty = honest). */
export function dishonesty(name: string, a: Annotations, writable: boolean): string[] {
  const facts = TOOL_FACTS[name];
  if (!facts) return [`${name}: no entry in TOOL_FACTS`];
  const resolve = (v: boolean | 'when-writable') => (v === 'when-writable' ? writable : v);
  const writes = resolve(facts.writes);
  const problems: string[] = [];
  // MCP defaults: readOnly false, destructive true, idempotent false, openWorld true; absent = default.
  const readOnly = a.readOnlyHint ?? false;
  if (readOnly && writes) problems.push(`${name}: claims readOnlyHint but can change state`);
  if (!readOnly && !writes) problems.push(`${name}: changes nothing but is not marked readOnlyHint`);
  if (!readOnly && (a.destructiveHint ?? true) === false && resolve(facts.replaces)) problems.push(`${name}: claims additive-only but can replace or remove`);
  if (!readOnly && a.idempotentHint === true) problems.push(`${name}: claims idempotentHint for a state-changing tool`);
  if ((a.openWorldHint ?? true) === false && facts.openWorld) problems.push(`${name}: claims a closed world but reaches connectors`);
  return problems;
}
