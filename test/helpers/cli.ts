import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const CLI = resolve(import.meta.dirname, '../../dist/cli.js');

/** A clean environment for a spawned CLI: private state dir, no config, quiet logs. */
export function cliEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of ['PATH', 'HOME', 'LANG', 'TMPDIR']) if (process.env[key]) env[key] = process.env[key] as string;
  env.XDG_STATE_HOME = mkdtempSync(join(tmpdir(), 'data-mcp-state-'));
  env.DATA_MCP_LOG_LEVEL = 'info';
  return { ...env, ...extra };
}

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI to completion (bounded by a timeout that kills it). */
export function runCli(args: string[], env: Record<string, string> = cliEnv(), input?: string, timeoutMs = 20_000): Promise<CliRun> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code, signal, stdout, stderr });
    });
    if (input !== undefined) child.stdin.end(input);
  });
}

/** Spawns `serve` and returns the live child for protocol-level tests. */
export function spawnServe(args: string[] = [], env: Record<string, string> = cliEnv()): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, [CLI, 'serve', ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
}
