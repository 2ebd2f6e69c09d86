import { configError } from '../results/errors.js';
import { registerSecret } from '../results/scrub.js';

/**
 * `${VAR}` and `${VAR:-default}` interpolation over the *parsed* YAML tree, string scalars only,
 * so an environment value can never inject YAML structure. `$${` escapes a literal `${`.
 * Values that land under secret-looking keys are registered with the scrubber.
 */
const PLACEHOLDER = /\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;
const SECRET_KEY = /(secret|password|passwd|token|private|access_key|credential|redis_url)/i;

export function interpolateEnv(value: unknown, env: NodeJS.ProcessEnv, path: string[] = []): unknown {
  if (typeof value === 'string') return interpolateString(value, env, path);
  if (Array.isArray(value)) return value.map((v, i) => interpolateEnv(v, env, [...path, String(i)]));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      // YAML makes `__proto__:` an own key; assigned here it would become the prototype, and the
      // schema would read its settings as inherited values that `.strict()` never sees.
      if (k === '__proto__') throw configError(`config key ${[...path, k].join('.')} is not allowed`, 'Remove the "__proto__" key; write settings under their own keys.');
      out[k] = interpolateEnv(v, env, [...path, k]);
    }
    return out;
  }
  return value;
}

function interpolateString(text: string, env: NodeJS.ProcessEnv, path: string[]): string | undefined {
  let sawPlaceholder = false;
  let missing: string | undefined;
  const result = text.replace(PLACEHOLDER, (match, name: string | undefined, fallback: string | undefined) => {
    if (match === '$${') return '${';
    sawPlaceholder = true;
    const fromEnv = name ? env[name] : undefined;
    if (fromEnv !== undefined && fromEnv !== '') {
      if (SECRET_KEY.test(path.join('.'))) registerSecret(fromEnv);
      return fromEnv;
    }
    if (fallback !== undefined) return fallback;
    missing = name;
    return '';
  });
  if (missing) {
    throw configError(
      `config key ${path.join('.')} needs environment variable ${missing}, which is not set`,
      `Set ${missing}, or write \${${missing}:-default} to give a default.`,
    );
  }
  // A whole-value placeholder that resolved to an empty default means "unset": drop the key.
  if (sawPlaceholder && result === '' && /^\$\{[^}]*\}$/.test(text)) return undefined;
  if (SECRET_KEY.test(path.join('.'))) registerSecret(result);
  return result;
}
