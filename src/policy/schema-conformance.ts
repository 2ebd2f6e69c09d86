import * as cedar from './cedar.js';
import type { Principal } from '../identity/principal.js';
import { configError } from '../results/errors.js';
import { cedarErrorText } from './cedar-diagnostics.js';
import { ENTITY_TYPES, EntityBuilder } from './entities.js';
import { fullCedarContext } from './request-context.js';
import { ACTIONS } from './types.js';

/**
 * Requests are evaluated without re-checking entities against the schema (that costs more
 * than the decision itself). This check, run once at load, proves the entities and context the
 * server builds conform to the operator's schema, so a schema that expects something the
 * server does not provide stops the start instead of turning into runtime denials.
 */
export function assertServerShapesConform(schemaText: string, schemaPath: string): void {
  const builder = new EntityBuilder({
    server: { env: 'dev' },
    connectors: { sample: { kind: 'local', annotations: { '': { owner: 'x' }, 'a/': { classification: 'public' } } } },
  });
  const principal: Principal = {
    saId: 'sample-sa',
    roles: ['reader'],
    attributes: { department: 'finance', level: 3, disabled: false },
    authMode: 'none',
    aws: { id: 'none' },
    gcp: { id: 'none' },
  };
  const entities = [
    builder.principalEntity(principal),
    ...builder.roleEntities(principal.roles),
    ...builder.resource({ type: 'Location', connector: 'sample', path: 'a/b/c.csv' }).entities,
  ];
  const entityCheck = cedar.checkParseEntities({ entities, schema: schemaText });
  if (entityCheck.type === 'failure') throw mismatch(schemaPath, `entities: ${cedarErrorText(entityCheck.errors)}`);
  const context = fullCedarContext({ env: 'dev', now: new Date(0), tool: 'read_data', agent: 'agent' });
  for (const action of actionsWithDistinctContexts(schemaText)) {
    const check = cedar.checkParseContext({ context, schema: schemaText, action: { type: ENTITY_TYPES.action, id: action } });
    if (check.type === 'failure') throw mismatch(schemaPath, `context of action "${action}": ${cedarErrorText(check.errors)}`);
  }
}

/**
 * One action per distinct declared context type. Every check re-parses the schema text in
 * Cedar (10-40 ms each at start-up, before the wasm code is warm), and actions declaring the
 * same context type (the bundled schema declares all twelve in one `appliesTo`) give the same
 * answer for the same context, so checking each would only repeat the first. An action the
 * JSON form does not show is checked on its own.
 */
function actionsWithDistinctContexts(schemaText: string): string[] {
  const json = cedar.schemaToJson(schemaText);
  if (json.type === 'failure') return [...ACTIONS];
  const declared = json.json['DataMcp']?.actions ?? {};
  const byContext = new Map<string, string>();
  for (const action of ACTIONS) {
    const spec = declared[action];
    const key = spec ? JSON.stringify(spec.appliesTo?.context ?? null) : `undeclared:${action}`;
    if (!byContext.has(key)) byContext.set(key, action);
  }
  return [...byContext.values()];
}

function mismatch(schemaPath: string, problem: string) {
  return configError(
    `Policy load failed: ${schemaPath} does not match what data-mcp builds (${problem}).`,
    'Keep the entity types ServiceAccount, Role, Connector, Location (with their attributes and `tags String`) and the context type of the bundled schema.',
  );
}
