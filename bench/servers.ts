import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The two servers the bench compares, both started as `node <file> …` on equal footing. */
export interface ServerCommand {
  label: string;
  command: string;
  args: string[];
}

const ROOT = resolve(import.meta.dirname, '..');

export const ECHO_SERVER: ServerCommand = { label: 'echo (bare SDK)', command: process.execPath, args: [join(ROOT, 'bench', 'echo-server.mjs')] };
export const DATA_MCP_SERVER: ServerCommand = { label: 'data-mcp', command: process.execPath, args: [join(ROOT, 'dist', 'cli.js'), 'serve'] };

/**
 * A clean environment for spawned servers: no inherited config, Redis or cloud variables (the
 * embedded default with the memory cache), a private state dir so audit logs do not pile up
 * in the home dir, and quiet logs.
 */
export class BenchEnvironment {
  readonly stateDir = mkdtempSync(join(tmpdir(), 'data-mcp-bench-'));
  private readonly pids = new Set<number>();

  env(): Record<string, string> {
    const env: Record<string, string> = {};
    for (const key of ['PATH', 'HOME', 'LANG', 'TMPDIR']) {
      const value = process.env[key];
      if (value) env[key] = value;
    }
    env.XDG_STATE_HOME = this.stateDir;
    env.DATA_MCP_LOG_LEVEL = 'warn';
    return env;
  }

  /** Every child is tracked by pid (the SDK transport exposes no more), so an aborted run still kills what it started. */
  track(pid: number | null | undefined): void {
    if (pid) this.pids.add(pid);
  }

  /** Tracked children still running; the bench requires none at the end. */
  alive(): number[] {
    return [...this.pids].filter(isRunning);
  }

  killAll(): void {
    for (const pid of this.alive()) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  }

  removeState(): void {
    rmSync(this.stateDir, { recursive: true, force: true });
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
