import { connect, type Socket } from 'node:net';
import type { PgClient, PgPool } from './pool.js';

/** Code of a CancelRequest packet (protocol §55.2.8): 1234 in the high half, 5678 in the low. */
const CANCEL_REQUEST_CODE = 80877102;
/** A cancel that cannot be delivered quickly is abandoned; the statement timeout still bounds the work. */
const CANCEL_CONNECT_TIMEOUT_MS = 2_000;

interface BackendKey {
  processID?: unknown;
  secretKey?: unknown;
}

export function backendPid(client: PgClient): number | undefined {
  const pid = (client as unknown as BackendKey).processID;
  return typeof pid === 'number' ? pid : undefined;
}

/**
 * Stops the statement a pooled client is running, server-side. node-postgres has no public
 * cancel API, so this sends the protocol's CancelRequest on a fresh socket: it needs no pool
 * slot (it works when every pooled connection is busy) and no authentication, only the
 * backend's pid and secret key. Without a key (a driver change), it falls back to
 * `pg_cancel_backend(pid)` from another pooled connection.
 *
 * The request says nothing back; the running statement then fails with SQLSTATE 57014.
 * Callers never return a client they cancelled to the pool: a late cancel could otherwise hit
 * the next statement on that session.
 */
export async function cancelBackend(client: PgClient, pool: PgPool, target: { host: string; port: number }): Promise<void> {
  const { processID, secretKey } = client as unknown as BackendKey;
  if (typeof processID !== 'number') return;
  if (typeof secretKey === 'number') {
    await sendCancelRequest(target, processID, secretKey);
    return;
  }
  await pool.query('SELECT pg_cancel_backend($1)', [processID]);
}

function sendCancelRequest(target: { host: string; port: number }, pid: number, secretKey: number): Promise<void> {
  const packet = Buffer.alloc(16);
  packet.writeInt32BE(16, 0);
  packet.writeInt32BE(CANCEL_REQUEST_CODE, 4);
  packet.writeInt32BE(pid, 8);
  packet.writeInt32BE(secretKey, 12);
  return new Promise((resolve) => {
    // A host starting with "/" is a Unix socket directory, as in libpq.
    const socket: Socket = target.host.startsWith('/')
      ? connect({ path: `${target.host}/.s.PGSQL.${target.port}` })
      : connect({ host: target.host, port: target.port });
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve();
    };
    const timer = setTimeout(done, CANCEL_CONNECT_TIMEOUT_MS);
    socket.once('connect', () => socket.end(packet));
    // The server closes the connection once it has read the request.
    socket.once('close', done);
    socket.once('error', done);
  });
}
