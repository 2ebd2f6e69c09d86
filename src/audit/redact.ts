import { scrubText } from '../results/scrub.js';

/**
 * Arguments are recorded for accountability, but the audit file outlives every secret that
 * passes through a call and is read by people the caller never met. So: values under
 * secret-looking keys are dropped, known secrets and credential shapes are scrubbed, and the
 * size is bounded so one huge call cannot bloat the log. Never throws, whatever it is given.
 */
export const REDACTED = '[REDACTED]';
export const MAX_STRING_CHARS = 512;
export const MAX_ARRAY_ITEMS = 50;
export const MAX_DEPTH = 8;
export const MAX_ARGUMENT_BYTES = 8 * 1024;

/** Normalized key fragments that mark a secret (`api_key`, `X-Api-Key`, `clientSecret`, ...). */
const SECRET_KEY = /password|passwd|passphrase|secret|token|apikey|privatekey|accesskey|secretkey|signingkey|encryptionkey|authorization|credential|cookie|sessionid|^auth$|^pwd$/;
/** Counts and limits named after tokens (`max_tokens`, `tokenBudget`) are not secrets. */
const COUNT_LIKE = /^(max|min|num|total)|(count|limit|budget|usage)$|tokens$/;

export function isSecretKey(key: string): boolean {
  const k = key.toLowerCase().replace(/[^a-z0-9]/g, '');
  return SECRET_KEY.test(k) && !COUNT_LIKE.test(k);
}

interface Walk {
  budget: number;
  seen: WeakSet<object>;
}

export function redactArguments(args: unknown): unknown {
  try {
    return redact(args, { budget: MAX_ARGUMENT_BYTES, seen: new WeakSet() }, 0);
  } catch {
    // A hostile proxy or getter can throw anywhere; the record must still be written.
    return '[unreadable arguments]';
  }
}

function redact(value: unknown, walk: Walk, depth: number): unknown {
  if (walk.budget <= 0) return '[size limit]';
  switch (typeof value) {
    case 'string':
      return spend(walk, cut(scrubText(value)));
    case 'number':
      return spend(walk, Number.isFinite(value) ? value : String(value));
    case 'boolean':
      return spend(walk, value);
    case 'bigint':
      return spend(walk, value.toString());
    case 'undefined':
      return undefined;
    case 'function':
      return '[function]';
    case 'symbol':
      return '[symbol]';
  }
  if (value === null) return null;
  const obj = value as object;
  if (depth >= MAX_DEPTH) return '[depth limit]';
  if (walk.seen.has(obj)) return '[circular]';
  if (obj instanceof Date) return Number.isNaN(obj.getTime()) ? '[invalid date]' : obj.toISOString();
  if (ArrayBuffer.isView(obj) || obj instanceof ArrayBuffer) return `[binary ${obj.byteLength} bytes]`;
  walk.seen.add(obj);
  try {
    return Array.isArray(obj) ? redactArray(obj, walk, depth) : redactObject(obj, walk, depth);
  } finally {
    // Shared (non-circular) references are fine to print twice; only ancestors are cycles.
    walk.seen.delete(obj);
  }
}

function redactArray(items: unknown[], walk: Walk, depth: number): unknown[] {
  const out: unknown[] = [];
  const shown = Math.min(items.length, MAX_ARRAY_ITEMS);
  for (let i = 0; i < shown; i++) {
    if (walk.budget <= 0) {
      out.push(`[size limit: ${items.length - i} more items]`);
      return out;
    }
    const v = redact(items[i], walk, depth + 1);
    out.push(v === undefined ? null : v);
  }
  if (items.length > shown) out.push(`[${items.length - shown} more items]`);
  return out;
}

function redactObject(obj: object, walk: Walk, depth: number): Record<string, unknown> {
  if (obj instanceof Map) obj = Object.fromEntries([...obj.entries()].map(([k, v]) => [String(k), v]));
  else if (obj instanceof Set) return { '[set]': redactArray([...obj], walk, depth) };
  const out: Record<string, unknown> = {};
  const keys = Object.keys(obj);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    if (walk.budget <= 0) {
      out['[size limit]'] = `${keys.length - i} more members`;
      break;
    }
    const safeKey = cut(scrubText(key));
    walk.budget -= JSON.stringify(safeKey).length + 2;
    const raw = readMember(obj, key);
    const v = isSecretKey(key) && raw != null ? REDACTED : redact(raw, walk, depth + 1);
    if (v !== undefined) Object.defineProperty(out, safeKey, { value: v, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function readMember(obj: object, key: string): unknown {
  try {
    return (obj as Record<string, unknown>)[key];
  } catch {
    return '[unreadable]';
  }
}

/** Cut long strings so the result, marker included, stays within the limit (idempotent). */
function cut(text: string): string {
  if (text.length <= MAX_STRING_CHARS) return text;
  const marker = `…[cut ${text.length} chars]`;
  return text.slice(0, MAX_STRING_CHARS - marker.length) + marker;
}

function spend<T extends string | number | boolean>(walk: Walk, value: T): T | string {
  // JSON length, not string length: escaped control characters take up to six bytes each.
  const size = typeof value === 'string' ? JSON.stringify(value).length : String(value).length;
  if (size > walk.budget && typeof value === 'string') {
    const room = Math.max(0, walk.budget - 24);
    walk.budget = 0;
    return `${value.slice(0, room)}…[size limit]`;
  }
  walk.budget -= size;
  return value;
}
