import { canonicalJson, sha256Hex } from '../util/canonical-json.js';

/** The prevHash of the first record in a log. */
export const GENESIS_HASH = '0'.repeat(64);

const HASH_SHAPE = /^[0-9a-f]{64}$/;

export function isHash(value: unknown): value is string {
  return typeof value === 'string' && HASH_SHAPE.test(value);
}

/**
 * The chain link: the previous hash is prefixed to the record's canonical bytes, so changing,
 * removing, inserting or reordering any record breaks every link after it.
 * A `hash` member on the input is ignored, so a sealed record can be passed as-is to re-check it.
 */
export function computeHash(prevHash: string, recordWithoutHash: object): string {
  const { hash: _ignored, ...rest } = recordWithoutHash as { hash?: unknown };
  return sha256Hex(prevHash + canonicalJson(rest));
}

/** Attach prevHash and hash to a record. */
export function sealRecord<T extends object>(partial: T, prevHash: string): T & { prevHash: string; hash: string } {
  return sealLine(partial, prevHash).record;
}

/**
 * Seal a record and render its file line in one serialization: the canonical JSON of the
 * record without its hash, with `"hash"` appended as the last member. Readers parse the line
 * and recompute, so the member order does not matter; serializing once is what does.
 */
export function sealLine<T extends object>(partial: T, prevHash: string): { record: T & { prevHash: string; hash: string }; line: string } {
  const { hash: _ignored, ...rest } = partial as T & { hash?: unknown };
  const withPrev = { ...rest, prevHash } as T & { prevHash: string };
  const canonical = canonicalJson(withPrev);
  const hash = sha256Hex(prevHash + canonical);
  return { record: { ...withPrev, hash }, line: `${canonical.slice(0, -1)},"hash":"${hash}"}` };
}
