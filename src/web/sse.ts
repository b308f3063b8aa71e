import type { IncomingMessage, ServerResponse } from 'node:http';
import { BASE_HEADERS } from './http-util.js';

/** One open server-sent-events response; `E` maps its event names to their data (StreamEvents of api-contract.ts). */
export interface SseChannel<E extends Record<string, unknown> = Record<string, unknown>> {
  send<K extends keyof E & string>(event: K, data: E[K], id?: number): void;
  close(): void;
  readonly closed: boolean;
  onClose(listener: () => void): void;
}

/** Opens an SSE response: keep-alive comments every 15 s, a 2 s reconnect hint, closed with the request. */
export function openSse<E extends Record<string, unknown>>(req: IncomingMessage, res: ServerResponse): SseChannel<E> {
  res.writeHead(200, { ...BASE_HEADERS, 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
  res.write('retry: 2000\n\n');
  const listeners: Array<() => void> = [];
  let closed = false;
  const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
  keepAlive.unref();
  const close = () => {
    if (closed) return;
    closed = true;
    clearInterval(keepAlive);
    res.end();
    for (const l of listeners) l();
  };
  req.on('close', close);
  return {
    send(event, data, id) {
      if (closed) return;
      res.write(`${id !== undefined ? `id: ${id}\n` : ''}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    },
    close,
    get closed() {
      return closed;
    },
    onClose(listener) {
      if (closed) listener();
      else listeners.push(listener);
    },
  };
}
