import { once } from 'node:events';
import { spawnServe, cliEnv } from './cli.js';

/**
 * A line-level JSON-RPC client over the built CLI's stdio. Unlike the SDK client it keeps every
 * line the server wrote, parsed or not, so tests can hold stdout to "nothing but JSON-RPC", and
 * it can send what a well-behaved client never would (bad JSON, cancellations).
 */
export interface RpcMessage {
  jsonrpc: string;
  id?: number | string | null;
  method?: string;
  params?: Record<string, unknown>;
  result?: Record<string, unknown>;
  error?: { code: number; message: string };
}

export interface RawServer {
  /** Every stdout line so far, exactly as written. */
  lines: string[];
  /** Every parsed message so far (lines that failed to parse are only in `lines`). */
  messages: RpcMessage[];
  stderr(): string;
  send(message: Record<string, unknown>): void;
  sendRaw(text: string): void;
  /** Sends a request and resolves with its response (a result or an error). */
  request(method: string, params?: Record<string, unknown>, id?: number): Promise<RpcMessage>;
  /** Resolves when a message matching `test` has arrived (bounded by `withinMs`). */
  waitFor(test: (m: RpcMessage) => boolean, withinMs?: number): Promise<RpcMessage>;
  notificationsFor(progressToken: string | number): RpcMessage[];
  /** Closes stdin and resolves with the exit code. */
  close(): Promise<number | null>;
}

let nextId = 1000;

export async function startRawServer(args: string[], env: Record<string, string> = cliEnv()): Promise<RawServer> {
  const child = spawnServe(args, env);
  const lines: string[] = [];
  const messages: RpcMessage[] = [];
  const waiters = new Set<() => void>();
  let buffer = '';
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout.on('data', (d: Buffer) => {
    buffer += d.toString();
    let newline: number;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      lines.push(line);
      try {
        messages.push(JSON.parse(line) as RpcMessage);
      } catch {
        // Kept in `lines` only: the test that reads them fails on it.
      }
      for (const wake of waiters) wake();
    }
  });
  const exited = once(child, 'close') as Promise<[number | null]>;

  const waitFor = (test: (m: RpcMessage) => boolean, withinMs = 20_000) =>
    new Promise<RpcMessage>((resolve, reject) => {
      const check = () => {
        const found = messages.find(test);
        if (!found) return;
        cleanup();
        resolve(found);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`no matching message within ${withinMs} ms; stderr tail: ${stderr.slice(-500)}`));
      }, withinMs);
      const cleanup = () => {
        clearTimeout(timer);
        waiters.delete(check);
      };
      waiters.add(check);
      check();
    });

  const server: RawServer = {
    lines,
    messages,
    stderr: () => stderr,
    send: (message) => child.stdin.write(`${JSON.stringify(message)}\n`),
    sendRaw: (text) => child.stdin.write(text),
    async request(method, params, id = nextId++) {
      server.send({ jsonrpc: '2.0', id, method, ...(params ? { params } : {}) });
      return waitFor((m) => m.id === id && (m.result !== undefined || m.error !== undefined));
    },
    waitFor,
    notificationsFor: (token) => messages.filter((m) => m.method === 'notifications/progress' && m.params?.progressToken === token),
    async close() {
      child.stdin.end();
      const [code] = await exited;
      return code;
    },
  };
  const init = await server.request('initialize', { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw-conformance', version: '1' } });
  if (!init.result) throw new Error(`initialize failed: ${JSON.stringify(init.error)}`);
  server.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
  return server;
}
