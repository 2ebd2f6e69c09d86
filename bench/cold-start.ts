import { spawn } from 'node:child_process';
import type { BenchEnvironment, ServerCommand } from './servers.js';
import { msSince } from './stats.js';

const INITIALIZE = `${JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'bench', version: '1' } },
})}\n`;

/**
 * One cold start: spawn → the `initialize` response on stdout, in milliseconds. The request is
 * written at once; the pipe holds it until the server reads stdin, so the figure includes
 * everything the server does before it can answer (module loading, config, policy, audit).
 * Afterwards stdin is closed and the child must exit by itself (killed if it does not).
 */
export async function coldStartOnce(server: ServerCommand, bench: BenchEnvironment, timeoutMs = 15_000): Promise<number> {
  const start = process.hrtime.bigint();
  const child = spawn(server.command, server.args, { env: bench.env(), stdio: ['pipe', 'pipe', 'pipe'] });
  bench.track(child.pid);
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    if (stderr.length < 4000) stderr += d.toString();
  });
  child.stdin.write(INITIALIZE);
  try {
    return await new Promise<number>((resolveTime, reject) => {
      let stdout = '';
      const timer = setTimeout(() => reject(new Error(`${server.label} did not answer initialize in ${timeoutMs} ms: ${stderr}`)), timeoutMs);
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        if (/"id":\s*1\b/.test(stdout) && stdout.includes('\n')) {
          const elapsed = msSince(start);
          clearTimeout(timer);
          if (!stdout.includes('"result"')) reject(new Error(`${server.label} answered initialize with an error: ${stdout.slice(0, 500)}`));
          else resolveTime(elapsed);
        }
      });
      child.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${server.label} exited (${String(code)}) before answering: ${stderr}`));
      });
    });
  } finally {
    child.stdin.end();
    const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) await exited;
    clearTimeout(killer);
  }
}

/** N cold starts of each server, interleaved (A B A B …) so drift and noise hit both alike. */
export async function coldStarts(servers: readonly ServerCommand[], n: number, bench: BenchEnvironment): Promise<number[][]> {
  const samples = servers.map(() => [] as number[]);
  // One unmeasured start each warms the OS file cache, as a host's second launch would be.
  for (const server of servers) await coldStartOnce(server, bench);
  for (let i = 0; i < n; i++) {
    for (const [index, server] of servers.entries()) samples[index]?.push(await coldStartOnce(server, bench));
  }
  return samples;
}
