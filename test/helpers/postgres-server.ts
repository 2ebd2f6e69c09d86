import { execFile } from 'node:child_process';
import { chmod, chown, mkdtemp, rm, writeFile, appendFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const BIN = '/usr/lib/postgresql/15/bin';

/**
 * A private PostgreSQL cluster for what the machine's trust-auth service cannot show:
 * password (SCRAM) authentication and TLS. initdb + pg_ctl as user `postgres` (PostgreSQL
 * refuses to run as root), a throwaway CA and a server certificate for `localhost` only (no IP
 * SAN, so connecting to 127.0.0.1 with verify-full must fail the hostname check).
 */
export interface PostgresServer {
  port: number;
  password: string;
  /** PEM file of the CA that signed the server certificate. */
  caFile: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

const asPostgres = (command: string, args: string[]) =>
  process.getuid?.() === 0 ? run('runuser', ['-u', 'postgres', '--', command, ...args]) : run(command, args);

export async function startPostgresServer(password: string): Promise<PostgresServer> {
  const dir = await mkdtemp(join(tmpdir(), 'dm-pg-cluster-'));
  const data = join(dir, 'data');
  const ids = process.getuid?.() === 0 ? (await run('id', ['-u', 'postgres'])).stdout.trim() : undefined;
  const gid = ids ? (await run('id', ['-g', 'postgres'])).stdout.trim() : undefined;
  const own = async (path: string) => {
    if (ids && gid) await chown(path, Number(ids), Number(gid));
  };
  await own(dir);
  const ssl = (...args: string[]) => run('openssl', args, { cwd: dir });
  await ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=dm-test-ca', '-keyout', 'ca.key', '-out', 'ca.crt');
  await ssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-keyout', 'server.key', '-out', 'server.csr');
  await writeFile(join(dir, 'san.ext'), 'subjectAltName=DNS:localhost\n');
  await ssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-extfile', 'san.ext', '-out', 'server.crt');
  for (const f of ['server.key', 'server.crt', 'ca.crt']) await own(join(dir, f));
  await chmod(join(dir, 'server.key'), 0o600);
  const pwfile = join(dir, 'pw');
  await writeFile(pwfile, `${password}\n`);
  await own(pwfile);
  await asPostgres(join(BIN, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=scram-sha-256', `--pwfile=${pwfile}`, '--no-sync']);
  const port = await freePort();
  await appendFile(
    join(data, 'postgresql.conf'),
    [`port = ${port}`, "listen_addresses = 'localhost'", `unix_socket_directories = '${dir}'`, 'ssl = on',
      `ssl_cert_file = '${join(dir, 'server.crt')}'`, `ssl_key_file = '${join(dir, 'server.key')}'`, 'fsync = off', ''].join('\n'),
  );
  await asPostgres(join(BIN, 'pg_ctl'), ['-D', data, '-l', join(dir, 'log'), '-w', 'start']);
  return {
    port,
    password,
    caFile: join(dir, 'ca.crt'),
    stop: async () => {
      await asPostgres(join(BIN, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
