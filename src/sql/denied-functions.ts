/**
 * Functions an agent's SQL may not call, by dialect. Matched on the last name part, lower-cased,
 * so `pg_catalog.PG_READ_FILE(...)` is caught too. Why each group is here:
 * - server files / programs: read or write the server's filesystem (`pg_read_file`, `pg_ls_dir`,
 *   large objects `lo_import`/`lo_export`, adminpack `pg_file_write`).
 * - dynamic SQL: run a query given as a string, which the guard cannot see into and which can name
 *   tables the policy never checked (`query_to_xml`, `table_to_xml`, `ts_stat`, `ts_rewrite`,
 *   `crosstab`, `connectby`, `dblink*`).
 * - writes hidden in a SELECT: sequences (`nextval`, `setval`), xid assignment (`txid_current`,
 *   `pg_current_xact_id`), index maintenance (`brin_summarize_*`, `gin_clean_pending_list`),
 *   `pg_notify`, logical decoding (`pg_logical_*` consumes slot changes), replication slots.
 * - session and server control: `set_config`, `pg_reload_conf`, backend signalling, WAL/backup
 *   control, statistics resets.
 * - denial of service: `pg_sleep*`, advisory locks (held past the query).
 * `current_setting` stays allowed: it only reads, and the server already hides superuser-only
 * settings from ordinary roles; legitimate queries use it (time zone, search path).
 * User-defined functions are opaque to any parser: the read-only transaction and read-only
 * credentials (engine level, DESIGN §9) are the backstop for those.
 */
const POSTGRES_EXACT = new Set([
  'pg_read_file', 'pg_read_binary_file', 'pg_stat_file', 'pg_file_write', 'pg_file_rename',
  'pg_file_unlink', 'pg_file_sync', 'pg_logdir_ls', 'loread', 'lowrite',
  'query_to_xml', 'query_to_xmlschema', 'query_to_xml_and_xmlschema', 'cursor_to_xml',
  'cursor_to_xmlschema', 'ts_stat', 'ts_rewrite', 'connectby',
  'nextval', 'setval', 'txid_current', 'pg_current_xact_id', 'pg_notify',
  'brin_summarize_new_values', 'brin_summarize_range', 'brin_desummarize_range', 'gin_clean_pending_list',
  'set_config', 'pg_reload_conf', 'pg_rotate_logfile', 'pg_terminate_backend', 'pg_cancel_backend',
  'pg_promote', 'pg_switch_wal', 'pg_switch_xlog', 'pg_create_restore_point', 'pg_start_backup',
  'pg_stop_backup', 'pg_backup_start', 'pg_backup_stop', 'pg_log_backend_memory_contexts',
  'pg_import_system_collations', 'pg_replication_slot_advance', 'pg_export_snapshot',
  'pg_sleep', 'pg_sleep_for', 'pg_sleep_until',
]);
const POSTGRES_PREFIXES = [
  'pg_ls_', 'lo_', 'dblink', 'table_to_xml', 'schema_to_xml', 'database_to_xml', 'crosstab',
  'pg_logical_', 'pg_replication_origin_', 'pg_create_', 'pg_drop_', 'pg_copy_', 'pg_wal_replay_',
  'pg_stat_reset', 'pg_stat_statements_reset', 'pg_advisory_', 'pg_try_advisory_', 'binary_upgrade_',
];

/**
 * BigQuery: `EXTERNAL_QUERY` runs SQL on a Cloud SQL/Spanner connection the policy never sees.
 * Table-valued functions are refused separately (they read tables by a name the guard cannot check).
 */
const BIGQUERY_EXACT = new Set(['external_query']);

export function deniedFunction(dialect: 'postgres' | 'bigquery', name: string): boolean {
  const lower = name.toLowerCase();
  if (dialect === 'bigquery') return BIGQUERY_EXACT.has(lower);
  return POSTGRES_EXACT.has(lower) || POSTGRES_PREFIXES.some((prefix) => lower.startsWith(prefix));
}
