import type { Config } from '../config/schema.js';
import { browse } from './browse.js';
import { describe } from './describe.js';
import type { ToolDefinition } from './define-tool.js';
import { listConnectors } from './list-connectors.js';
import { query } from './query.js';
import { readData } from './read-data.js';
import { deleteData } from './delete-data.js';
import { replaceData } from './replace-data.js';
import { summarize } from './summarize.js';
import { writeData } from './write-data.js';
import { whoami } from './whoami.js';
import { runProbe } from './run-probe.js';
import { sessionClose } from './session-close.js';
import { sessionCreate, sessionGet, sessionList, sessionPut } from './session-tools.js';

/** Every tool the server knows, in the order `tools/list` shows them (stable, deterministic). */
export const ALL_TOOLS: ToolDefinition[] = [
  whoami, listConnectors, browse, describe, readData, summarize, query, writeData, replaceData, deleteData,
  runProbe, sessionCreate, sessionPut, sessionGet, sessionList, sessionClose,
] as unknown as ToolDefinition[];

/**
 * The tools served under a config: only enabled toolsets, no write-class tool when the server
 * is read-only, and the destructive tier (overwrite, delete) only when also explicitly
 * enabled with `server.allow_destructive`. A hidden tool is never listed and cannot be called.
 */
export function selectTools(config: Config, all: ToolDefinition[] = ALL_TOOLS): ToolDefinition[] {
  const toolsets = new Set(config.server.toolsets);
  return all
    .filter((t) => toolsets.has(t.toolset))
    .map((t) => servedAs(t, config.server))
    .filter((t) => t.risk === 'read' || (!config.server.read_only && (t.risk === 'write' || config.server.allow_destructive)));
}

/** A definition as these tiers serve it: its risk, and whether it may replace what exists here. */
function servedAs(tool: ToolDefinition, server: Config['server']): ToolDefinition {
  const writable = !server.read_only;
  const risk = writable && tool.riskWhenWritable ? tool.riskWhenWritable : tool.risk;
  const replaces =
    tool.replaces === 'always' || (tool.replaces === 'when-writable' && writable) || (tool.replaces === 'when-destructive-served' && writable && server.allow_destructive);
  if (risk === tool.risk && replaces === (tool.replaces === 'always')) return tool;
  const { replaces: _conditional, ...rest } = tool;
  return { ...rest, risk, ...(replaces ? { replaces: 'always' as const } : {}) };
}
