import { configError, isDataMcpError } from '../results/errors.js';
import { canonicalizePath, isWithinPrefix } from './paths.js';

/** Annotations of one connector: path prefix → tags, as in config (`annotations:`). */
export type Annotations = Record<string, Record<string, string>>;

interface AnnotatedPrefix {
  prefix: string;
  tags: Record<string, string>;
}

/**
 * Tags a Location inherits from the connector's annotations. Every annotated prefix that
 * contains the path contributes; prefixes are applied shortest first so the most specific one
 * wins a conflict (`reports/` says public, `reports/hr/` says restricted → restricted below hr/).
 */
export class LocationTagger {
  private readonly prefixes: AnnotatedPrefix[];

  constructor(connector: string, annotations: Annotations | undefined) {
    this.prefixes = Object.entries(annotations ?? {})
      .map(([prefix, tags]) => ({ prefix: canonicalAnnotationKey(connector, prefix), tags }))
      .sort((a, b) => a.prefix.length - b.prefix.length);
  }

  /** Tags of the connector itself: the root annotations (`""`), if any. */
  rootTags(): Record<string, string> {
    return this.tagsFor('', true);
  }

  tagsFor(path: string, rootOnly = false): Record<string, string> {
    const merged: Record<string, string> = {};
    for (const { prefix, tags } of this.prefixes) {
      if (rootOnly ? prefix === '' : isWithinPrefix(path, prefix)) Object.assign(merged, tags);
    }
    return merged;
  }
}

function canonicalAnnotationKey(connector: string, key: string): string {
  try {
    return canonicalizePath(key, { allowEmpty: true });
  } catch (err) {
    const problem = isDataMcpError(err) ? err.message : String(err);
    throw configError(
      `connectors.${connector}.annotations: key ${JSON.stringify(key)} is not a canonical path. ${problem}`,
      'Use connector-relative prefixes such as "" (the whole connector), "reports/" or "reports/2026/q1.csv".',
    );
  }
}
