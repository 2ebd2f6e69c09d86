import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A thin HTTP proxy in front of a local S3 (s3rver) for what s3rver cannot show by itself:
 * how many bytes actually cross the wire, and upstream failures (error bodies, 5xx, hangs).
 */
export interface ObservedRequest {
  method: string;
  url: string;
  range?: string;
  /** Response body bytes sent to the client for this request. */
  bytes: number;
  /** The If-None-Match header the client sent (create-only writes send `*`). */
  ifNoneMatch?: string;
}

export type Fault = { status: number; body: string; headers?: Record<string, string> } | 'hang';

export interface FaultProxy {
  endpoint: string;
  requests: ObservedRequest[];
  /** Return a fault to answer a request instead of forwarding it. */
  fault?: (req: IncomingMessage) => Fault | undefined;
  /**
   * Answer like real S3 to `If-None-Match: *` (which s3rver ignores): a PutObject or
   * CompleteMultipartUpload carrying it on a key that exists gets 412 PreconditionFailed.
   */
  enforceIfNoneMatch?: boolean;
  /**
   * Answer suffix ranges (`bytes=-N`) like real S3, which s3rver gets wrong (it serves bytes
   * 0-N): the last N bytes, the whole object when it is smaller, 416 InvalidRange when it is empty.
   */
  realSuffixRanges?: boolean;
  /** Behave like a store that ignores Range: every GET is answered 200 with the whole object. */
  ignoreRange?: boolean;
  /** TCP connections clients opened to the proxy (keep-alive reuse keeps this low). */
  connections: number;
  stop(): Promise<void>;
}

export async function startFaultProxy(targetPort: number): Promise<FaultProxy> {
  const sockets = new Set<Socket>();
  const proxy: FaultProxy = { endpoint: '', requests: [], connections: 0, stop: async () => undefined };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const ifNoneMatch = req.headers['if-none-match'];
    const observed: ObservedRequest = {
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      bytes: 0,
      ...(req.headers.range ? { range: req.headers.range } : {}),
      ...(typeof ifNoneMatch === 'string' ? { ifNoneMatch } : {}),
    };
    proxy.requests.push(observed);
    if (proxy.enforceIfNoneMatch && ifNoneMatch === '*' && (req.method === 'PUT' || req.method === 'POST')) {
      // Hold the body until we know whether the key exists (real S3 decides at the end too).
      req.pause();
      void keyExists(targetPort, (req.url ?? '/').split('?')[0]!).then((exists) => {
        if (!exists) return forward(req, res, observed);
        const body = '<?xml version="1.0" encoding="UTF-8"?><Error><Code>PreconditionFailed</Code><Message>At least one of the pre-conditions you specified did not hold</Message><Condition>If-None-Match</Condition></Error>';
        observed.bytes = Buffer.byteLength(body);
        req.resume();
        res.writeHead(412, { 'content-type': 'application/xml' });
        res.end(body);
      });
      return;
    }
    const fault = proxy.fault?.(req);
    if (fault === 'hang') return; // keep the socket open and never answer
    if (fault) {
      observed.bytes = Buffer.byteLength(fault.body);
      res.writeHead(fault.status, { 'content-type': 'application/xml', ...fault.headers });
      res.end(fault.body);
      return;
    }
    if (proxy.ignoreRange) delete req.headers.range;
    const suffix = /^bytes=-(\d+)$/.exec(req.headers.range ?? '');
    if (proxy.realSuffixRanges && req.method === 'GET' && suffix) {
      req.pause();
      void objectSize(targetPort, (req.url ?? '/').split('?')[0]!).then((size) => {
        req.resume();
        if (size === 0) {
          const body = '<?xml version="1.0" encoding="UTF-8"?><Error><Code>InvalidRange</Code><Message>The requested range is not satisfiable</Message></Error>';
          observed.bytes = Buffer.byteLength(body);
          res.writeHead(416, { 'content-type': 'application/xml', 'content-range': 'bytes */0' });
          res.end(body);
          return;
        }
        // Missing objects go through unchanged, for s3rver's own NoSuchKey answer.
        if (size !== undefined) req.headers.range = `bytes=${Math.max(0, size - Number(suffix[1]))}-${size - 1}`;
        forward(req, res, observed);
      });
      return;
    }
    forward(req, res, observed);
  });
  const forward = (req: IncomingMessage, res: ServerResponse, observed: ObservedRequest) => {
    const upstream = request(
      { host: '127.0.0.1', port: targetPort, method: req.method, path: req.url, headers: req.headers },
      (upstreamRes) => {
        res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
        // Headers go out now, as from the store itself: a body that never comes must not hide them.
        res.flushHeaders();
        upstreamRes.on('data', (chunk: Buffer) => {
          observed.bytes += chunk.byteLength;
        });
        // A client that stops reading early (ranged read done) ends the upstream read too.
        res.on('close', () => upstreamRes.destroy());
        upstreamRes.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  };
  server.on('connection', (socket: Socket) => {
    proxy.connections += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.stop = async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return proxy;
}

/** HEAD of the object at `path` on the target, unsigned (s3rver serves anonymous requests). */
async function keyExists(port: number, path: string): Promise<boolean> {
  return (await objectSize(port, path)) !== undefined;
}

/** The object's size by an unsigned HEAD on the target; undefined when it does not exist. */
function objectSize(port: number, path: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    const head = request({ host: '127.0.0.1', port, method: 'HEAD', path }, (res) => {
      res.resume();
      resolve(res.statusCode === 200 ? Number(res.headers['content-length']) : undefined);
    });
    head.on('error', () => resolve(undefined));
    head.end();
  });
}
