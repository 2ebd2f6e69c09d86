import { ApiFailure, objectJson, type StoredObject } from './gcs-double-store.js';

/**
 * objects.list as GCS answers it: name order; with a delimiter, names below the next delimiter
 * collapse into one prefix; `maxResults` counts items and prefixes together; `startOffset`
 * (inclusive) and `endOffset` (exclusive) bound the names; `nextPageToken` is opaque.
 */
export function listObjectsJson(objects: Map<string, StoredObject>, query: URLSearchParams, baseUrl: string): Record<string, unknown> {
  const prefix = query.get('prefix') ?? '';
  const delimiter = query.get('delimiter') ?? '';
  const startOffset = query.get('startOffset');
  const endOffset = query.get('endOffset');
  const maxResults = Math.min(1000, Number(query.get('maxResults') ?? 1000));
  if (!Number.isInteger(maxResults) || maxResults < 1) throw new ApiFailure(400, 'Invalid argument: maxResults', 'invalid');
  const token = decodeToken(query.get('pageToken'));

  const items: StoredObject[] = [];
  const prefixes: string[] = [];
  let last: string | undefined;
  let nextPageToken: string | undefined;
  const names = [...objects.keys()].sort();
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    if (startOffset !== null && name < startOffset) continue;
    if (endOffset !== null && name >= endOffset) continue;
    if (token !== undefined && (name <= token || (delimiter !== '' && token.endsWith(delimiter) && name.startsWith(token)))) continue;
    const cut = delimiter === '' ? -1 : name.indexOf(delimiter, prefix.length);
    const key = cut < 0 ? name : name.slice(0, cut + delimiter.length);
    if (key === last) continue; // another name below the prefix just emitted
    if (items.length + prefixes.length === maxResults) {
      nextPageToken = last === undefined ? undefined : Buffer.from(last).toString('base64url');
      break;
    }
    const object = objects.get(name);
    if (cut < 0 && object) items.push(object);
    else prefixes.push(key);
    last = key;
  }
  return {
    kind: 'storage#objects',
    ...(items.length > 0 ? { items: items.map((o) => objectJson(o, baseUrl)) } : {}),
    ...(prefixes.length > 0 ? { prefixes } : {}),
    ...(nextPageToken !== undefined ? { nextPageToken } : {}),
  };
}

function decodeToken(token: string | null): string | undefined {
  if (token === null || token === '') return undefined;
  const decoded = Buffer.from(token, 'base64url').toString('utf8');
  if (decoded === '') throw new ApiFailure(400, 'Invalid page token', 'invalid');
  return decoded;
}
