/**
 * The statements that open an agent query's transaction. They are the connector's own text —
 * the only values in them are integers computed here and schema names from operator config,
 * quoted as identifiers — and run as one simple-protocol round trip. The agent's SQL never
 * goes through this path.
 */
export interface TransactionSettings {
  readOnly: boolean;
  timeoutMs: number;
  /** How long a held cursor may wait for its reader; the server-side backstop sits above it. */
  idleMs: number;
  /** Operator allowlist: unqualified names resolve only inside it. */
  schemas: readonly string[] | undefined;
}

/** Margin between the client's idle release and the server's own kill of an idle transaction. */
const SERVER_BACKSTOP_MARGIN_MS = 30_000;

export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function transactionPreamble(s: TransactionSettings): string {
  const statements = [
    // READ ONLY makes the engine refuse writes even if SQL slipped past the guard.
    s.readOnly ? 'BEGIN TRANSACTION READ ONLY' : 'BEGIN TRANSACTION READ WRITE',
    `SET LOCAL statement_timeout = ${int(s.timeoutMs)}`,
    `SET LOCAL idle_in_transaction_session_timeout = ${int(s.idleMs + SERVER_BACKSTOP_MARGIN_MS)}`,
  ];
  if (s.schemas && s.schemas.length > 0) statements.push(`SET LOCAL search_path = ${s.schemas.map(quoteIdentifier).join(', ')}`);
  return statements.join('; ');
}

function int(n: number): number {
  const v = Math.floor(n);
  if (!Number.isSafeInteger(v) || v < 1) throw new RangeError(`not a positive integer: ${n}`);
  return Math.min(v, 2_147_483_647);
}
