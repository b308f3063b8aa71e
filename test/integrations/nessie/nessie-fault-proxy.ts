import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** What the proxy does to one request instead of forwarding it. */
export type Fault =
  /** Answer with this status and body (an object is sent as JSON); `body` may read the request. */
  | { readonly kind: 'respond'; readonly status: number; readonly body: string | object | ((req: IncomingMessage) => unknown) }
  /** Accept the request and never answer (a hung server). */
  | { readonly kind: 'hang' }
  /** Close the connection without answering (a reset). */
  | { readonly kind: 'reset' };

export interface RecordedRequest {
  readonly method: string;
  /** Path and query as the client sent them. */
  readonly url: string;
  readonly authorization: string | undefined;
}

/**
 * An HTTP proxy in the test process in front of the real Nessie server: every request is recorded
 * and forwarded unchanged, except those a test injects a fault for (an error answer, a hang, a
 * reset), which the real server does not produce on demand. `url` is the proxied API v2 root.
 */
export class NessieFaultProxy {
  readonly requests: RecordedRequest[] = [];
  private readonly faults: Fault[] = [];
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    private readonly upstream: URL,
    readonly url: string,
  ) {}

  /** `target`: the real server's API v2 root, e.g. `http://127.0.0.1:19120/api/v2`. */
  static async start(target: string): Promise<NessieFaultProxy> {
    let proxy: NessieFaultProxy | undefined;
    const server = createServer((req, res) => proxy!.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
    const upstream = new URL(target);
    const port = (server.address() as { port: number }).port;
    proxy = new NessieFaultProxy(server, upstream, `http://127.0.0.1:${port}${upstream.pathname.replace(/\/$/, '')}`);
    server.on('connection', (socket) => {
      proxy!.sockets.add(socket);
      socket.on('close', () => proxy!.sockets.delete(socket));
    });
    return proxy;
  }

  /** The next `times` requests get `fault` (queued after faults already injected). */
  inject(fault: Fault, times = 1): void {
    for (let i = 0; i < times; i++) this.faults.push(fault);
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    this.requests.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization });
    const fault = this.faults.shift();
    if (fault?.kind === 'hang') return;
    if (fault?.kind === 'reset') {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'respond') {
      const body = typeof fault.body === 'function' ? (fault.body as (r: IncomingMessage) => unknown)(req) : fault.body;
      const text = typeof body === 'string' ? body : JSON.stringify(body);
      res.writeHead(fault.status, { 'Content-Type': typeof body === 'string' ? 'text/html' : 'application/json' });
      res.end(text);
      req.resume();
      return;
    }
    const forward = httpRequest(
      { host: this.upstream.hostname, port: this.upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: this.upstream.host } },
      (upstream) => {
        res.writeHead(upstream.statusCode ?? 502, upstream.headers);
        upstream.pipe(res);
      },
    );
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  }
}
