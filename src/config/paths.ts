import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root (holds policies/, examples/), whether running from src/ (tsx) or dist/. */
export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export const BUNDLED_POLICIES_DIR = join(PACKAGE_ROOT, 'policies');
export const BUNDLED_DEMO_DATA_DIR = join(PACKAGE_ROOT, 'examples', 'data');

/** XDG state directory: audit logs and keys live here unless configured. */
export function stateDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_STATE_HOME && env.XDG_STATE_HOME.startsWith('/') ? env.XDG_STATE_HOME : join(homedir(), '.local', 'state');
  return join(base, 'data-mcp');
}
