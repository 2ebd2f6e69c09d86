import * as cedar from '@cedar-policy/cedar-wasm/nodejs';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Principal } from '../../../src/identity/principal.js';
import { EntityBuilder, type PolicyConfig } from '../../../src/policy/entities.js';
import { DataMcpError } from '../../../src/results/errors.js';

const config: PolicyConfig = {
  server: { env: 'dev' },
  connectors: {
    lake: {
      kind: 's3',
      env: 'prod',
      annotations: {
        '': { owner: 'data-team', classification: 'internal' },
        'reports/': { classification: 'restricted', department: 'finance' },
        'reports/public/': { classification: 'public' },
        'reports/public/draft.csv': { stage: 'draft' },
      },
    },
    demo: { kind: 'local' },
  },
};

const principal: Principal = {
  saId: 'ana',
  roles: ['analyst', 'reader', 'analyst'],
  attributes: { department: 'finance', level: 3, disabled: false },
  authMode: 'token',
  aws: { id: 'none' },
  gcp: { id: 'none' },
};

const loc = (id: string) => ({ type: 'DataMcp::Location', id });

describe('EntityBuilder', () => {
  const builder = new EntityBuilder(config);

  it('builds the Location chain up to the Connector', () => {
    const slice = builder.resource({ type: 'Location', connector: 'lake', path: 'reports/public/2026/q1.csv' });
    expect(slice.uid).toEqual(loc('lake/reports/public/2026/q1.csv'));
    expect(slice.entities.map((e) => [e.uid, e.parents])).toEqual([
      [loc('lake/reports/public/2026/q1.csv'), [loc('lake/reports/public/2026/')]],
      [loc('lake/reports/public/2026/'), [loc('lake/reports/public/')]],
      [loc('lake/reports/public/'), [loc('lake/reports/')]],
      [loc('lake/reports/'), [{ type: 'DataMcp::Connector', id: 'lake' }]],
      [{ type: 'DataMcp::Connector', id: 'lake' }, []],
    ]);
  });

  it('gives the evaluation entity every ancestor as a parent', () => {
    const slice = builder.resource({ type: 'Location', connector: 'lake', path: 'reports/public/x.csv' });
    expect(slice.evaluation.uid).toEqual(slice.uid);
    expect(slice.evaluation.parents).toEqual([loc('lake/reports/public/'), loc('lake/reports/'), { type: 'DataMcp::Connector', id: 'lake' }]);
    expect(slice.evaluation.tags).toEqual(slice.entities[0]!.tags);
  });

  it('sets location attributes: connector, path, env from the connector, kind', () => {
    const [object, prefix] = builder.resource({ type: 'Location', connector: 'lake', path: 'reports/q1.csv' }).entities;
    expect(object!.attrs).toEqual({ connector: 'lake', path: 'reports/q1.csv', env: 'prod', kind: 'object' });
    expect(prefix!.attrs).toEqual({ connector: 'lake', path: 'reports/', env: 'prod', kind: 'prefix' });
  });

  it('falls back to server.env for a connector without env', () => {
    const slice = builder.resource({ type: 'Connector', connector: 'demo' });
    expect(slice.entities).toEqual([{ uid: { type: 'DataMcp::Connector', id: 'demo' }, attrs: { kind: 'local', env: 'dev' }, parents: [], tags: {} }]);
  });

  it('merges tags of every containing prefix, the most specific winning', () => {
    const tagsOf = (path: string) => builder.resource({ type: 'Location', connector: 'lake', path }).entities[0]!.tags;
    expect(tagsOf('other/x.csv')).toEqual({ owner: 'data-team', classification: 'internal' });
    expect(tagsOf('reports/x.csv')).toEqual({ owner: 'data-team', classification: 'restricted', department: 'finance' });
    expect(tagsOf('reports/public/x.csv')).toEqual({ owner: 'data-team', classification: 'public', department: 'finance' });
    expect(tagsOf('reports/public/draft.csv')).toEqual({ owner: 'data-team', classification: 'public', department: 'finance', stage: 'draft' });
    expect(tagsOf('reports/public/draft.csv.old')).toEqual({ owner: 'data-team', classification: 'public', department: 'finance' });
    // "reports2/" shares a string prefix with "reports/" but not a path prefix.
    expect(tagsOf('reports2/x.csv')).toEqual({ owner: 'data-team', classification: 'internal' });
  });

  it('tags the connector with its root annotations only', () => {
    expect(builder.resource({ type: 'Connector', connector: 'lake' }).entities[0]!.tags).toEqual({ owner: 'data-team', classification: 'internal' });
  });

  it('treats a Location with the empty path as the connector', () => {
    expect(builder.resource({ type: 'Location', connector: 'lake', path: '' }).uid).toEqual({ type: 'DataMcp::Connector', id: 'lake' });
  });

  it('builds the principal from the principal (narrowed roles), with attributes as string tags', () => {
    expect(builder.principalEntity(principal)).toEqual({
      uid: { type: 'DataMcp::ServiceAccount', id: 'ana' },
      attrs: { id: 'ana' },
      parents: [
        { type: 'DataMcp::Role', id: 'analyst' },
        { type: 'DataMcp::Role', id: 'reader' },
      ],
      tags: { department: 'finance', level: '3', disabled: 'false' },
    });
    expect(builder.roleEntities(['reader', 'reader'])).toEqual([{ uid: { type: 'DataMcp::Role', id: 'reader' }, attrs: {}, parents: [] }]);
  });

  it('refuses unknown connectors and non-canonical paths', () => {
    expect(() => builder.resource({ type: 'Connector', connector: 'nope' })).toThrow(/Unknown connector "nope"/);
    for (const path of ['../x', 'a//b', '/abs', 'a\u0000b', 'a/./b']) {
      expect(() => builder.resource({ type: 'Location', connector: 'lake', path })).toThrow(DataMcpError);
    }
  });

  it('caches resource slices (they do not depend on the principal)', () => {
    const ref = { type: 'Location' as const, connector: 'lake', path: 'a/b.csv' };
    expect(builder.resource(ref)).toBe(builder.resource(ref));
  });

  it('keeps only attributes the filter allows', () => {
    const trimmed = new EntityBuilder(config, (name) => name === 'env');
    expect(trimmed.resource({ type: 'Location', connector: 'lake', path: 'a.csv' }).entities[0]!.attrs).toEqual({ env: 'prod' });
    expect(trimmed.principalEntity(principal).attrs).toEqual({});
  });

  it('refuses annotation keys that are not canonical paths', () => {
    const bad: PolicyConfig = { server: { env: 'dev' }, connectors: { lake: { kind: 's3', annotations: { '../up/': { a: 'b' } } } } };
    expect(() => new EntityBuilder(bad)).toThrow(/connectors\.lake\.annotations: key "\.\.\/up\/"/);
  });

  it('produces entities that conform to the bundled schema', () => {
    const schema = readFileSync(new URL('../../../policies/schema.cedarschema', import.meta.url), 'utf8');
    const slice = builder.resource({ type: 'Location', connector: 'lake', path: 'reports/public/2026/q1.csv' });
    const entities = [builder.principalEntity(principal), ...builder.roleEntities(principal.roles), ...slice.entities];
    expect(cedar.checkParseEntities({ entities, schema })).toEqual({ type: 'success' });
  });
});
