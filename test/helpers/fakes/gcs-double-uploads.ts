import { randomUUID } from 'node:crypto';
import { ApiFailure, type GcsStore, type StoredObject } from './gcs-double-store.js';

/**
 * The upload half of the GCS test double: `uploadType=multipart` (JSON metadata + media in one
 * `multipart/related` body), `uploadType=media`, and resumable sessions (POST → Location; PUT
 * chunks with `Content-Range`, 308 + `Range` until the last one, then 200 with the object).
 */
interface ObjectMetadataIn {
  name?: string;
  contentType?: string;
  metadata?: Record<string, string>;
}

interface Session {
  bucket: string;
  name: string;
  contentType?: string;
  metadata?: Record<string, string>;
  /** Preconditions given at session start, checked again at finalization (as GCS does). */
  query: URLSearchParams;
  received: Buffer[];
  size: number;
  done?: StoredObject;
}

export type UploadAnswer = { status: 200; object: StoredObject } | { status: 308; received: number } | { status: 499 };

export class UploadHandler {
  private readonly sessions = new Map<string, Session>();

  constructor(private readonly store: GcsStore) {}

  /** POST /upload/storage/v1/b/B/o?uploadType=multipart|media */
  simple(bucket: string, query: URLSearchParams, contentType: string, body: Buffer): StoredObject {
    if (query.get('uploadType') === 'media') {
      const name = requireName(query.get('name'));
      return this.store.put(bucket, name, body, { contentType, query });
    }
    const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
    if (!boundary) throw new ApiFailure(400, 'multipart upload without a boundary', 'invalid');
    const [metaPart, mediaPart] = splitMultipart(body, boundary);
    if (!metaPart || !mediaPart) throw new ApiFailure(400, 'multipart upload needs metadata and media parts', 'invalid');
    const meta = JSON.parse(metaPart.body.toString('utf8')) as ObjectMetadataIn;
    const name = requireName(query.get('name') ?? meta.name ?? null);
    return this.store.put(bucket, name, mediaPart.body, {
      contentType: meta.contentType ?? mediaPart.headers['content-type'] ?? 'application/octet-stream',
      ...(meta.metadata ? { metadata: meta.metadata } : {}),
      query,
    });
  }

  /** POST ...?uploadType=resumable: returns the session id for the Location header. */
  start(bucket: string, query: URLSearchParams, body: Buffer, uploadContentType: string | undefined): string {
    const meta = body.byteLength > 0 ? (JSON.parse(body.toString('utf8')) as ObjectMetadataIn) : {};
    const name = requireName(query.get('name') ?? meta.name ?? null);
    this.store.checkPreconditions(this.store.get(bucket, name), query);
    const id = randomUUID();
    const contentType = meta.contentType ?? uploadContentType;
    this.sessions.set(id, { bucket, name, query, received: [], size: 0, ...(contentType ? { contentType } : {}), ...(meta.metadata ? { metadata: meta.metadata } : {}) });
    return id;
  }

  /** PUT <session>: `Content-Range: bytes a-b/*`, `bytes a-b/TOTAL`, `bytes a-*\/*` or `bytes *\/TOTAL`. */
  chunk(id: string, contentRange: string | undefined, body: Buffer): UploadAnswer {
    const session = this.sessionOf(id);
    if (session.done) return { status: 200, object: session.done };
    const range = /^bytes (\*|(\d+)-(\d+|\*))\/(\d+|\*)$/.exec(contentRange ?? `bytes 0-*/*`);
    if (!range) throw new ApiFailure(400, `bad Content-Range: ${contentRange ?? ''}`, 'invalid');
    const total = range[4] === '*' ? undefined : Number(range[4]);
    if (range[1] !== '*') {
      const start = Number(range[2]);
      if (start !== session.size) throw new ApiFailure(400, `chunk starts at ${start}, expected ${session.size}`, 'invalid');
      if (range[3] !== '*' && Number(range[3]) - start + 1 !== body.byteLength) throw new ApiFailure(400, 'chunk length does not match Content-Range', 'invalid');
      session.received.push(body);
      session.size += body.byteLength;
    }
    // An open-ended chunk (`a-*/*`) is the whole rest of the upload; otherwise the total says.
    const finished = (range[3] === '*' && range[1] !== '*') || (total !== undefined && session.size === total);
    if (!finished) return { status: 308, received: session.size };
    this.store.checkPreconditions(this.store.get(session.bucket, session.name), session.query);
    session.done = this.store.put(session.bucket, session.name, Buffer.concat(session.received), {
      ...(session.contentType ? { contentType: session.contentType } : {}),
      ...(session.metadata ? { metadata: session.metadata } : {}),
    });
    return { status: 200, object: session.done };
  }

  /** DELETE <session>: cancels the upload (GCS answers 499). */
  cancel(id: string): UploadAnswer {
    this.sessionOf(id);
    this.sessions.delete(id);
    return { status: 499 };
  }

  openSessions(): number {
    return [...this.sessions.values()].filter((s) => !s.done).length;
  }

  private sessionOf(id: string): Session {
    const session = this.sessions.get(id);
    if (!session) throw new ApiFailure(404, 'No such upload session', 'notFound');
    return session;
  }
}

function requireName(name: string | null): string {
  if (!name) throw new ApiFailure(400, 'Required parameter: name', 'required');
  return name;
}

interface Part {
  headers: Record<string, string>;
  body: Buffer;
}

/** Splits a multipart/related body on its boundary, byte-exact (media may be binary). */
function splitMultipart(body: Buffer, boundary: string): Part[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: Part[] = [];
  let at = body.indexOf(delimiter);
  while (at >= 0) {
    const start = at + delimiter.byteLength;
    if (body.subarray(start, start + 2).toString() === '--') break;
    const next = body.indexOf(delimiter, start);
    if (next < 0) break;
    const raw = body.subarray(start + 2, next - 2); // drop the CRLF after the delimiter and before the next
    const split = raw.indexOf('\r\n\r\n');
    const headers: Record<string, string> = {};
    for (const line of raw.subarray(0, split).toString('utf8').split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    parts.push({ headers, body: raw.subarray(split + 4) });
    at = next;
  }
  return parts;
}
