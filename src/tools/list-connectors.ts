import { z } from 'zod';
import { defineTool } from './define-tool.js';

export const listConnectors = defineTool({
  name: 'list_connectors',
  title: 'List connectors',
  description: 'The data sources configured on this server that you may list: name, kind (local, s3, ...), environment, description and capabilities. Use a name with browse, describe and read_data.',
  toolset: 'catalog',
  risk: 'read',
  selfService: true,
  input: z.object({}).strict(),
  output: z.object({
    connectors: z.array(
      z.object({ name: z.string(), kind: z.string(), env: z.string(), description: z.string().optional(), capabilities: z.array(z.string()) }),
    ),
    hidden: z.number().int().describe('Configured connectors you may not list.'),
  }),
  authorize: () => [],
  async handler(_args, ctx) {
    const all = ctx.connectorInfos();
    // Each connector is shown only if the policy allows `list` on it (or on a part of it we cannot see
    // from here — those stay hidden, and browse on a granted path still works).
    const visible = all.filter((info) => ctx.check({ action: 'list', resource: { type: 'Connector', connector: info.name } }).allowed);
    const connectors = visible.map((info) => ({
      name: info.name,
      kind: info.kind,
      env: info.env,
      ...(info.description ? { description: info.description } : {}),
      capabilities: info.capabilities,
    }));
    const summary = [
      `${connectors.length} connector(s) available${all.length > visible.length ? ` (${all.length - visible.length} hidden by policy)` : ''}:`,
      ...connectors.map((c) => `- ${c.name} (${c.kind}, env ${c.env})${c.description ? `: ${c.description}` : ''}`),
    ].join('\n');
    return { structured: { connectors, hidden: all.length - visible.length }, summary };
  },
});
