import { canonicalJson, sha256Hex } from '../util/canonical-json.js';

/** Everything that decides whether two calls may share one cached result (DESIGN §6). */
export interface CacheKeyParts {
  /** Tool name, e.g. `read_object`. */
  tool: string;
  /** The normalized request (connector, path, query, options...). Key order does not matter. */
  request: unknown;
  /** `principalScope(principal)`: two principals with different grants never share an entry. */
  principalScope: string;
  /** Policy set version: a policy change invalidates every entry at once. */
  policyVersion: string;
}

/**
 * Hex SHA-256 of the canonical JSON of all parts. Canonical JSON sorts object keys, so
 * `{a,b}` and `{b,a}` requests share a key, while any difference in scope or policy does not.
 * The parts are wrapped in one object (not concatenated) so no two part combinations can
 * produce the same serialized text.
 */
export function cacheKey(parts: CacheKeyParts): string {
  return sha256Hex(
    canonicalJson({
      v: 1,
      tool: parts.tool,
      request: parts.request,
      principalScope: parts.principalScope,
      policyVersion: parts.policyVersion,
    }),
  );
}
