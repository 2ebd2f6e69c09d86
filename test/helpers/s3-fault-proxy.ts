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
  stop(): Promise<void>;
}

export async function startFaultProxy(targetPort: number): Promise<FaultProxy> {
  const sockets = new Set<Socket>();
  const proxy: FaultProxy = { endpoint: '', requests: [], stop: async () => undefined };

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
    forward(req, res, observed);
  });
  const forward = (req: IncomingMessage, res: ServerResponse, observed: ObservedRequest) => {
    const upstream = request(
      { host: '127.0.0.1', port: targetPort, method: req.method, path: req.url, headers: req.headers },
      (upstreamRes) => {
        res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
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
function keyExists(port: number, path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const head = request({ host: '127.0.0.1', port, method: 'HEAD', path }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    head.on('error', () => resolve(false));
    head.end();
  });
}
