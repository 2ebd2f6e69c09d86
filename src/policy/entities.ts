import type { EntityJson, TypeAndId } from './cedar.js';
import { LRUCache } from 'lru-cache';
import type { Principal } from '../identity/principal.js';
import { DataMcpError } from '../results/errors.js';
import { canonicalizePath, parentPrefix } from './paths.js';
import { LocationTagger, type Annotations } from './location-tags.js';
import type { ResourceRef } from './types.js';

/**
 * Cedar entities (JSON form) for one request, built from operator config and the resolved
 * principal — never from agent input. Resource entities do not depend on the principal, so
 * they are cached; the principal's entity is rebuilt per request because a token may narrow
 * its roles.
 */

export const ENTITY_TYPES = {
  serviceAccount: 'DataMcp::ServiceAccount',
  role: 'DataMcp::Role',
  connector: 'DataMcp::Connector',
  location: 'DataMcp::Location',
  action: 'DataMcp::Action',
} as const;

/** The part of `Config` policy needs; a full `Config` satisfies it. */
export interface PolicyConfig {
  server: { env: string };
  connectors: Record<string, { kind: string; env?: string | undefined; annotations?: Annotations | undefined }>;
}

export interface ResourceSlice {
  uid: TypeAndId;
  /** The resource and every ancestor up to its Connector, each with its direct parent (the model). */
  entities: EntityJson[];
  /**
   * The resource alone, its parents list holding every ancestor. Cedar answers `resource in X`
   * from the resource's ancestor set, so this one entity decides exactly like the chain (no
   * schema attribute refers to another entity, so policies cannot reach an ancestor any other
   * way) and costs Cedar one entity to parse instead of one per path segment.
   */
  evaluation: EntityJson;
}

/** Keeps only the attributes some policy can read; see `referencedNames` in policy-set.ts. */
export type AttributeFilter = (name: string) => boolean;

interface ConnectorInfo {
  entity: EntityJson;
  env: string;
  tagger: LocationTagger;
}

export class EntityBuilder {
  private readonly connectors = new Map<string, ConnectorInfo>();
  private readonly locations = new LRUCache<string, ResourceSlice>({ max: 5000 });

  constructor(
    config: PolicyConfig,
    private readonly keepAttribute: AttributeFilter = () => true,
  ) {
    for (const [name, connector] of Object.entries(config.connectors)) {
      const env = connector.env ?? config.server.env;
      const tagger = new LocationTagger(name, connector.annotations);
      const entity: EntityJson = {
        uid: { type: ENTITY_TYPES.connector, id: name },
        attrs: this.attrs({ kind: connector.kind, env }),
        parents: [],
        tags: tagger.rootTags(),
      };
      this.connectors.set(name, { entity, env, tagger });
    }
  }

  /**
   * The caller's entity: parents are its effective roles (narrowed by the token, never the
   * config's), tags are its attributes as strings. Role entities themselves carry no data and
   * Cedar resolves `principal in Role::"x"` from this parent list, so they stay out of the slice.
   */
  principalEntity(principal: Principal): EntityJson {
    const tags: Record<string, string> = {};
    for (const [key, value] of Object.entries(principal.attributes)) tags[key] = String(value);
    const parents: TypeAndId[] = [];
    for (const id of new Set(principal.roles)) parents.push({ type: ENTITY_TYPES.role, id });
    return { uid: { type: ENTITY_TYPES.serviceAccount, id: principal.saId }, attrs: this.attrs({ id: principal.saId }), parents, tags };
  }

  roleEntities(roles: readonly string[]): EntityJson[] {
    return [...new Set(roles)].map((id) => ({ uid: { type: ENTITY_TYPES.role, id }, attrs: {}, parents: [] }));
  }

  /** Throws `DataMcpError` for an unknown connector or a non-canonical path (the caller denies). */
  resource(ref: ResourceRef): ResourceSlice {
    const info = this.connectors.get(ref.connector);
    if (!info) {
      throw new DataMcpError('NOT_FOUND', `Unknown connector "${ref.connector}".`, 'Call list_connectors to see the configured connectors.');
    }
    // The connector root has no Location of its own: it is the Connector.
    if (ref.type === 'Connector' || ref.path === '') {
      return { uid: info.entity.uid as TypeAndId, entities: [info.entity], evaluation: info.entity };
    }
    const key = `${ref.connector}/${ref.path}`;
    const cached = this.locations.get(key);
    if (cached) return cached;
    // Throws INVALID_ARGUMENT: entity ids are only ever built from canonical paths.
    canonicalizePath(ref.path);
    const slice = this.buildLocationChain(ref.connector, ref.path, info);
    this.locations.set(key, slice);
    return slice;
  }

  private buildLocationChain(connector: string, path: string, info: ConnectorInfo): ResourceSlice {
    const entities: EntityJson[] = [];
    for (let current = path; current !== ''; current = parentPrefix(current)) {
      const parent = parentPrefix(current);
      const parentUid = parent === '' ? info.entity.uid : { type: ENTITY_TYPES.location, id: `${connector}/${parent}` };
      entities.push({
        uid: { type: ENTITY_TYPES.location, id: `${connector}/${current}` },
        attrs: this.attrs({ connector, path: current, env: info.env, kind: current.endsWith('/') ? 'prefix' : 'object' }),
        parents: [parentUid],
        tags: info.tagger.tagsFor(current),
      });
    }
    entities.push(info.entity);
    const self = entities[0]!;
    const evaluation = { ...self, parents: entities.slice(1).map((e) => e.uid) };
    return { uid: self.uid as TypeAndId, entities, evaluation };
  }

  private attrs(all: Record<string, string>): Record<string, string> {
    const kept: Record<string, string> = {};
    for (const [key, value] of Object.entries(all)) if (this.keepAttribute(key)) kept[key] = value;
    return kept;
  }
}
