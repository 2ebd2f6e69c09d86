import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { listObjectsJson } from './gcs-double-list.js';
import { ApiFailure, GcsStore, notFound, objectJson, type StoredObject } from './gcs-double-store.js';
import { UploadHandler } from './gcs-double-uploads.js';

/**
 * A GCS JSON-API test double that the real `@google-cloud/storage` SDK talks to (see
 * shared/notes/test-backends.md): `apiEndpoint: double.endpoint` (paths under `/storage/v1`) or
 * `STORAGE_EMULATOR_HOST` (paths without it). In memory; generations grow on every write;
 * `md5Hash`/`crc32c` are real; downloads of whole objects send `x-goog-hash`.
 *
 * For tests: every request is recorded, media bytes are counted (`bytesServed`), and `fault`
 * answers a request instead of the double (an error body, or `'hang'` to never answer).
 */
export interface RecordedRequest {
  method: string;
  /** Path without the `/storage/v1` / `/upload/storage/v1` prefix, URL-decoded. */
  path: string;
  query: Record<string, string>;
  range?: string;
  /** Media bytes sent in this response. */
  bytes: number;
}

export type GcsFault = { status: number; body: string; headers?: Record<string, string> } | 'hang';

export interface GcsDouble {
  endpoint: string;
  port: number;
  requests: RecordedRequest[];
  /** Media bytes served since start (or the last `resetCounters`). */
  bytesServed: number;
  fault?: (req: { method: string; path: string; query: URLSearchParams; headers: IncomingMessage['headers'] }) => GcsFault | undefined;
  createBucket(name: string): void;
  putObject(bucket: string, name: string, content: Uint8Array | string, contentType?: string): StoredObject;
  getObject(bucket: string, name: string): StoredObject | undefined;
  openUploadSessions(): number;
  resetCounters(): void;
  stop(): Promise<void>;
}

const OBJECT = /^\/b\/([^/]+)\/o\/(.+)$/;
const OBJECTS = /^\/b\/([^/]+)\/o\/?$/;

export async function startGcsDouble(options: { buckets?: string[] } = {}): Promise<GcsDouble> {
  const store = new GcsStore();
  const uploads = new UploadHandler(store);
  for (const b of options.buckets ?? []) store.createBucket(b);
  const sockets = new Set<Socket>();

  const double: GcsDouble = {
    endpoint: '',
    port: 0,
    requests: [],
    bytesServed: 0,
    createBucket: (name) => store.createBucket(name),
    putObject: (bucket, name, content, contentType) => store.put(bucket, name, Buffer.from(typeof content === 'string' ? content : content), contentType ? { contentType } : {}),
    getObject: (bucket, name) => store.get(bucket, name),
    openUploadSessions: () => uploads.openSessions(),
    resetCounters: () => {
      double.requests.length = 0;
      double.bytesServed = 0;
    },
    stop: async () => undefined,
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => handle(req, res, Buffer.concat(chunks)));
  });

  function handle(req: IncomingMessage, res: ServerResponse, body: Buffer): void {
    const url = new URL(req.url ?? '/', double.endpoint);
    const method = req.method ?? 'GET';
    const isUpload = url.pathname.startsWith('/upload/');
    const path = safeDecode(url.pathname.replace(/^\/(upload|download)\//, '/').replace(/^\/storage\/v1/, ''));
    const recorded: RecordedRequest = { method, path, query: Object.fromEntries(url.searchParams), bytes: 0, ...(req.headers.range ? { range: req.headers.range } : {}) };
    double.requests.push(recorded);
    const fault = double.fault?.({ method, path, query: url.searchParams, headers: req.headers });
    if (fault === 'hang') return;
    if (fault) {
      res.writeHead(fault.status, { 'content-type': 'application/json', ...fault.headers }).end(fault.body);
      return;
    }
    try {
      route(method, path, isUpload, url, req, res, body, recorded);
    } catch (error) {
      const failure = error instanceof ApiFailure ? error : new ApiFailure(500, error instanceof Error ? error.message : String(error), 'backendError');
      sendJson(res, failure.status, { error: { code: failure.status, message: failure.message, errors: [{ message: failure.message, domain: 'global', reason: failure.reason }] } });
    }
  }

  function route(method: string, path: string, isUpload: boolean, url: URL, req: IncomingMessage, res: ServerResponse, body: Buffer, recorded: RecordedRequest): void {
    const q = url.searchParams;
    const uploadId = q.get('upload_id');
    if (isUpload && uploadId !== null) {
      const answer = method === 'DELETE' ? uploads.cancel(uploadId) : uploads.chunk(uploadId, req.headers['content-range'], body);
      if (answer.status === 200) return sendJson(res, 200, objectJson(answer.object, double.endpoint));
      if (answer.status === 499) return void res.writeHead(499).end();
      return void res.writeHead(308, answer.received > 0 ? { range: `bytes=0-${answer.received - 1}` } : {}).end();
    }
    const objects = OBJECTS.exec(path);
    if (isUpload && method === 'POST' && objects?.[1]) {
      const bucket = objects[1];
      if (q.get('uploadType') === 'resumable') {
        const id = uploads.start(bucket, q, body, req.headers['x-upload-content-type'] as string | undefined);
        const location = new URL(url.pathname, double.endpoint);
        location.search = new URLSearchParams({ uploadType: 'resumable', name: q.get('name') ?? '', upload_id: id }).toString();
        return void res.writeHead(200, { location: location.href, 'content-length': '0' }).end();
      }
      return sendJson(res, 200, objectJson(uploads.simple(bucket, q, req.headers['content-type'] ?? '', body), double.endpoint));
    }
    if (method === 'GET' && path === '/b') return sendJson(res, 200, { kind: 'storage#buckets', items: store.bucketNames().map((name) => ({ kind: 'storage#bucket', id: name, name })) });
    if (method === 'GET' && objects?.[1]) return sendJson(res, 200, listObjectsJson(store.bucket(objects[1]), q, double.endpoint));
    const object = OBJECT.exec(path);
    if (object?.[1] && object[2]) {
      const [bucket, name] = [object[1], object[2]];
      if (method === 'DELETE') {
        store.delete(bucket, name, q);
        return void res.writeHead(204).end();
      }
      if (method === 'GET') return getObject(store.get(bucket, name), `${bucket}/${name}`, q, req, res, recorded);
    }
    const bucketOnly = /^\/b\/([^/]+)\/?$/.exec(path);
    if (method === 'GET' && bucketOnly?.[1]) {
      store.bucket(bucketOnly[1]);
      return sendJson(res, 200, { kind: 'storage#bucket', id: bucketOnly[1], name: bucketOnly[1] });
    }
    throw new ApiFailure(404, `no route for ${method} ${path}`, 'notFound');
  }

  function getObject(current: StoredObject | undefined, what: string, q: URLSearchParams, req: IncomingMessage, res: ServerResponse, recorded: RecordedRequest): void {
    const generation = q.get('generation');
    // No versioning here: an older generation is gone once the object is overwritten.
    if (!current || (generation !== null && Number(generation) !== current.generation)) throw notFound(what);
    store.checkPreconditions(current, q);
    if (q.get('alt') !== 'media') return sendJson(res, 200, objectJson(current, double.endpoint));
    const size = current.bytes.byteLength;
    const headers: Record<string, string> = {
      'content-type': current.contentType,
      'x-goog-generation': String(current.generation),
      'x-goog-stored-content-encoding': 'identity',
      'accept-ranges': 'bytes',
    };
    const range = parseRange(req.headers.range, size);
    let status = 200;
    let bytes = current.bytes;
    if (range) {
      status = 206;
      bytes = current.bytes.subarray(range.start, range.end + 1);
      headers['content-range'] = `bytes ${range.start}-${range.end}/${size}`;
    } else {
      headers['x-goog-hash'] = `crc32c=${current.crc32c},md5=${current.md5Hash}`;
    }
    recorded.bytes = bytes.byteLength;
    double.bytesServed += bytes.byteLength;
    res.writeHead(status, { ...headers, 'content-length': String(bytes.byteLength) }).end(bytes);
  }

  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  double.port = (server.address() as AddressInfo).port;
  double.endpoint = `http://127.0.0.1:${double.port}`;
  double.stop = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  return double;
}

/** `bytes=a-b`, `bytes=a-`, `bytes=-n`; unsatisfiable ranges are 416 like GCS. */
function parseRange(header: string | undefined, size: number): { start: number; end: number } | undefined {
  const m = header ? /^bytes=(\d*)-(\d*)$/.exec(header) : null;
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  const [start, end] = m[1] === '' ? [Math.max(0, size - Number(m[2])), size - 1] : [Number(m[1]), m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1)];
  if (start >= size || start > end) throw new ApiFailure(416, 'The requested range cannot be satisfied.', 'requestedRangeNotSatisfiable');
  return { start, end };
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const text = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', 'content-length': String(Buffer.byteLength(text)) }).end(text);
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
