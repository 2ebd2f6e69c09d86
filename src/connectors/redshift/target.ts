import type { SqlParameter } from '@aws-sdk/client-redshift-data';
import type { RedshiftConnectorConfig } from '../../config/schema.js';
import { configError, invalidArgument } from '../../results/errors.js';
import type { ParamValue } from '../types.js';

/** Where every Data API call goes: the database and the serverless workgroup or cluster. */
export interface RedshiftTarget {
  Database: string;
  WorkgroupName?: string;
  ClusterIdentifier?: string;
  DbUser?: string;
  SecretArn?: string;
}

export function targetOf(name: string, config: RedshiftConnectorConfig): RedshiftTarget {
  if (config.cluster_identifier && !config.db_user && !config.secret_arn) {
    throw configError(`connector ${name}: a provisioned cluster needs db_user or secret_arn`, 'Set db_user (temporary IAM credentials) or secret_arn (a Secrets Manager secret) for the cluster.');
  }
  return {
    Database: config.database,
    ...(config.workgroup_name ? { WorkgroupName: config.workgroup_name } : {}),
    ...(config.cluster_identifier ? { ClusterIdentifier: config.cluster_identifier } : {}),
    ...(config.db_user ? { DbUser: config.db_user } : {}),
    ...(config.secret_arn ? { SecretArn: config.secret_arn } : {}),
  };
}

/** The Data API's own limits on parameter names. */
const PARAM_NAME = /^[0-9A-Za-z_]{1,128}$/;
const HINT = 'Redshift parameters are named (:name in the SQL) with string, number or boolean values; write NULL in the SQL instead of passing a null.';

/**
 * Named parameters as the Data API takes them: every value a non-empty string (Redshift
 * converts it to the column's type). The API has no NULL parameter and rejects empty values,
 * so those are refused here with a clear message rather than upstream with a vague one.
 */
export function sqlParameters(params: Readonly<Record<string, ParamValue>>, positional: readonly ParamValue[] | undefined): SqlParameter[] | undefined {
  if (positional && positional.length > 0) {
    throw invalidArgument('Redshift takes named parameters, not positional ones', HINT);
  }
  const out: SqlParameter[] = [];
  for (const [name, value] of Object.entries(params)) {
    if (!PARAM_NAME.test(name)) throw invalidArgument(`parameter name "${name.slice(0, 64)}" is not valid for Redshift`, 'Use letters, digits and "_" only.');
    out.push({ name, value: paramText(name, value) });
  }
  return out.length > 0 ? out : undefined;
}

function paramText(name: string, value: ParamValue): string {
  if (value === null) throw invalidArgument(`parameter "${name}" is null; the Redshift Data API has no null parameters`, HINT);
  if (typeof value === 'number' && !Number.isFinite(value)) throw invalidArgument(`parameter "${name}" is not a finite number`, HINT);
  const text = String(value);
  if (text === '') throw invalidArgument(`parameter "${name}" is an empty string; the Redshift Data API refuses empty values`, "Compare with '' in the SQL instead of passing an empty parameter.");
  return text;
}
