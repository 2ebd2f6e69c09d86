import { DataMcpError, invalidArgument } from '../../results/errors.js';
import { checkPath } from '../path-guard.js';

/**
 * Connector paths for BigQuery: `""` is the project (its datasets), `dataset/` a dataset (its
 * tables), `dataset/table` a table or view. Only allowlisted datasets are reachable; any other
 * is NOT_FOUND whether or not it exists, so the connector never becomes a way to probe.
 */
export type BigqueryLocation =
  | { level: 'project' }
  | { level: 'dataset'; dataset: string; isPrefix: boolean }
  | { level: 'table'; dataset: string; table: string; isPrefix: boolean };

// BigQuery's own naming rules: datasets are letters, digits and underscores; tables also allow
// marks, dashes and spaces (but no `$` decorators or `*` wildcards, which are not tables).
const DATASET_ID = /^[A-Za-z0-9_]{1,1024}$/;
const TABLE_ID = /^[\p{L}\p{M}\p{N}\p{Pc}\p{Pd}\p{Zs}]{1,1024}$/u;

export function locate(path: string, allowlist: readonly string[] | undefined, connector: string): BigqueryLocation {
  const checked = checkPath(path);
  const [dataset, table, ...rest] = checked.segments;
  if (dataset === undefined) return { level: 'project' };
  if (!DATASET_ID.test(dataset)) {
    throw invalidArgument(`"${dataset}" is not a valid BigQuery dataset id`, 'Dataset ids are letters, digits and underscores; browse the connector root to see its datasets.');
  }
  if (allowlist && !allowlist.includes(dataset)) {
    throw new DataMcpError('NOT_FOUND', `dataset "${dataset}" is not available in connector "${connector}"`, `Browse the connector root to see its datasets: ${allowlist.map((d) => `"${d}"`).join(', ')}.`);
  }
  if (table === undefined) return { level: 'dataset', dataset, isPrefix: checked.isPrefix };
  if (rest.length > 0 || !TABLE_ID.test(table)) {
    throw invalidArgument(`"${path}" is not a BigQuery table path`, 'Table paths are "dataset/table"; browse "dataset/" to see its tables.');
  }
  return { level: 'table', dataset, table, isPrefix: checked.isPrefix };
}

/** Requires `dataset/table` (no trailing slash). */
export function locateTable(path: string, allowlist: readonly string[] | undefined, connector: string): { dataset: string; table: string } {
  const location = locate(path, allowlist, connector);
  if (location.level !== 'table' || location.isPrefix) {
    throw invalidArgument(`"${path}" names ${location.level === 'project' ? 'the connector root' : location.level === 'dataset' ? 'a dataset' : 'a table as a folder'}, not a table`, 'Browse it to see its tables; describe takes a table path like "dataset/table".');
  }
  return { dataset: location.dataset, table: location.table };
}
