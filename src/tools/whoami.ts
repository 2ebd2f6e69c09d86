import { z } from 'zod';
import type { Action } from '../policy/types.js';
import { defineTool } from './define-tool.js';

const PROBED_ACTIONS: Action[] = ['list', 'read', 'query', 'write', 'delete', 'deliver', 'admin'];

export const whoami = defineTool({
  name: 'whoami',
  title: 'Who am I',
  description:
    'Identity receipt: the service account this session acts as, its roles and attributes, the environment, and which actions it may take on each connector. Call this first, and when a call is denied.',
  toolset: 'catalog',
  risk: 'read',
  selfService: true,
  input: z.object({}).strict(),
  output: z.object({
    serviceAccount: z.string(),
    roles: z.array(z.string()),
    attributes: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
    authMode: z.enum(['none', 'token']),
    tokenExpiresAt: z.string().optional(),
    environment: z.string(),
    readOnly: z.boolean(),
    toolsets: z.array(z.string()),
    credentialScopes: z.object({ aws: z.string(), gcp: z.string() }),
    connectors: z.array(z.object({ name: z.string(), kind: z.string(), env: z.string(), allowedActions: z.array(z.string()) })),
    hiddenConnectors: z.number().int().describe('Configured connectors on which you hold no connector-wide action: not named here.'),
    notices: z.array(z.string()),
  }),
  authorize: () => [],
  async handler(_args, ctx) {
    const p = ctx.principal;
    const probed = ctx.connectorInfos().map((info) => ({
      name: info.name,
      kind: info.kind,
      env: info.env,
      allowedActions: PROBED_ACTIONS.filter((action) => ctx.check({ action, resource: { type: 'Connector', connector: info.name } }).allowed),
    }));
    // A connector the principal holds nothing on is not named, as list_connectors does not name
    // it: its name, kind and environment are themselves facts about the estate.
    const connectors = probed.filter((c) => c.allowedActions.length > 0);
    const hiddenConnectors = probed.length - connectors.length;
    const notices: string[] = [];
    if (p.authMode === 'none') notices.push(`auth.mode is "none": every call on this server runs as ${p.saId}, whoever sends it.`);
    if (hiddenConnectors > 0) notices.push(`${hiddenConnectors} other configured connector(s) grant you no connector-wide action and are not named; paths granted to you inside them still work.`);
    if (ctx.embedded) notices.push('This is the embedded demo (no config): a local folder of sample data, read-only.');
    const structured = {
      serviceAccount: p.saId,
      roles: p.roles,
      attributes: p.attributes,
      authMode: p.authMode,
      ...(p.tokenExpiresAt ? { tokenExpiresAt: p.tokenExpiresAt } : {}),
      environment: ctx.config.server.env,
      readOnly: ctx.config.server.read_only,
      toolsets: ctx.config.server.toolsets,
      credentialScopes: { aws: p.aws.id, gcp: p.gcp.id },
      connectors,
      hiddenConnectors,
      notices,
    };
    const lines = [
      `You are service account ${p.saId} (roles: ${p.roles.join(', ') || 'none'}) in environment ${structured.environment}.`,
      ...connectors.map((c) => `- ${c.name} (${c.kind}, env ${c.env}): ${c.allowedActions.join(', ')}`),
      ...notices,
    ];
    return { structured, summary: lines.join('\n') };
  },
});
