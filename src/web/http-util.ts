import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError } from './http-error.js';

export { HttpError } from './http-error.js';

const MAX_BODY = 1024 * 1024;

/** Security headers every response carries: no framing, no sniffing, no referrer to other sites. */
export const BASE_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'same-origin',
};

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...BASE_HEADERS, 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** Reads a JSON body of at most 1 MiB; an empty body is `{}`. */
export async function readJson(req: IncomingMessage): Promise<unknown> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new HttpError(413, 'BODY_TOO_LARGE', 'request body over 1 MiB');
    chunks.push(chunk as Buffer);
  }
  if (chunks.length === 0) return {};
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpError(400, 'INVALID_JSON', 'request body is not valid JSON');
  }
}

/** Reads an `application/x-www-form-urlencoded` body (the login form), at most 16 KiB. */
export async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  let text = '';
  for await (const chunk of req) {
    text += (chunk as Buffer).toString('utf8');
    if (text.length > 16 * 1024) throw new HttpError(413, 'BODY_TOO_LARGE', 'form body over 16 KiB');
  }
  return new URLSearchParams(text);
}
