/**
 * The last line of defence against leaking secrets: every string that leaves the process
 * (results, errors, logs, audit records) passes through `scrubText`. Known secret values from
 * config and env are registered at start; well-known credential shapes are matched as well,
 * so an upstream error that echoes a key is still caught.
 */
const registered = new Set<string>();

/** Shapes of credentials that must never be shown, whatever their source. */
const PATTERNS: RegExp[] = [
  /\b(?:AKIA|ASIA|AIDA|AROA|AGPA|ANPA|ANVA|AIPA)[A-Z0-9]{16}\b/g, // AWS access key ids
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g,
  /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g, // JWTs
  /\bya29\.[A-Za-z0-9_.-]{10,}/g, // Google OAuth access tokens
  /(\bBearer\s+)[A-Za-z0-9_.~+/=-]{8,}/gi, // bearer tokens in echoed headers
  /([?&](?:X-Amz-Signature|X-Amz-Credential|X-Amz-Security-Token|X-Goog-Signature|X-Goog-Credential|Signature|sig)=)[^&\s"']+/gi,
  /((?:redis|rediss|postgres|postgresql|mysql|mongodb(?:\+srv)?|amqp|https?):\/\/[^:/@\s"']*:)[^@\s"']+(?=@)/gi, // passwords in URLs (the "@" stays)
  /((?:aws_secret_access_key|secret_access_key|secretAccessKey|password|passwd|client_secret|private_key|api_key|apikey|token)\s*["']?\s*[:=]\s*["']?)[^\s"',;}]{4,}/gi,
];

const REDACTED = '[REDACTED]';

/** Register a secret value (from config or env) so it is redacted wherever it appears. */
export function registerSecret(value: string | undefined | null): void {
  if (!value) return;
  const trimmed = value.trim();
  // Very short values would redact ordinary words; they are not credible secrets anyway.
  if (trimmed.length < 6) return;
  registered.add(trimmed);
  // PEM material is often re-wrapped; register each long line separately too.
  for (const line of trimmed.split(/\r?\n/)) if (line.trim().length >= 16) registered.add(line.trim());
}

export function registeredSecretCount(): number {
  return registered.size;
}

export function scrubText(text: string): string {
  let out = text;
  for (const secret of registered) {
    if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  for (const pattern of PATTERNS) {
    out = out.replace(pattern, (match: string, keep?: unknown) =>
      typeof keep === 'string' && match.startsWith(keep) ? `${keep}${REDACTED}` : REDACTED,
    );
  }
  return out;
}

/**
 * Redacts only the registered secret values (not the credential-shaped patterns): for data
 * results, where a JWT-looking string may be legitimate data but a configured secret never is.
 */
export function scrubRegistered(text: string): string {
  let out = text;
  for (const secret of registered) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  return out;
}

/** Deep-apply a string scrubber to a JSON-like value. */
export function scrubDeep<T>(value: T, scrub: (text: string) => string): T {
  if (typeof value === 'string') return scrub(value) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => scrubDeep(v, scrub)) as T;
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = scrubDeep(v, scrub);
    return out as T;
  }
  return value;
}

/** Deep-scrub a JSON-like value (strings anywhere inside are scrubbed). */
export function scrubValue<T>(value: T): T {
  if (typeof value === 'string') return scrubText(value) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => scrubValue(v)) as T;
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = scrubValue(v);
    return out as T;
  }
  return value;
}
