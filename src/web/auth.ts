import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * Access control of the dashboard server.
 *
 * Authentication: with SLUICE_WEB_TOKEN set, every request but /healthz and the login page needs
 * either `Authorization: Bearer <token>` (scripts, Prometheus) or the session cookie that the login
 * form sets: `sluice_session=<expiry>.<HMAC-SHA256(token, expiry)>`, HttpOnly, Secure,
 * SameSite=Strict, 12 hours. The cookie never holds the token itself, and rotating the token ends
 * every session. Without a token (loopback binds only) nobody is asked to log in.
 *
 * CSRF: a request authenticated by the bearer header cannot be forged by a browser (no page can
 * set that header cross-origin without a CORS preflight, which this server never approves). For
 * everything else (cookie or loopback without token), a state-changing request is refused unless
 * the browser says it is same-origin: `Sec-Fetch-Site` must be `same-origin` (or `none`, typed by
 * the user); a browser without Fetch Metadata must send an `Origin` that matches the Host. JSON API writes must also carry
 * `X-Sluice-CSRF: 1`, a custom header that forces a preflight cross-origin. SameSite=Strict keeps
 * the cookie off cross-site requests in the first place; the checks cover the no-token loopback
 * case, where there is no cookie to withhold.
 *
 * DNS rebinding: on a loopback bind the Host header must name a loopback host, so a page served
 * from an attacker's name that resolves to 127.0.0.1 is refused.
 */
export const SESSION_COOKIE = 'sluice_session';
export const SESSION_MS = 12 * 60 * 60 * 1000;
export const CSRF_HEADER = 'x-sluice-csrf';

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_NAMES.has(host) || /^127(\.\d{1,3}){3}$/.test(host) || host.endsWith('.localhost');
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function bearerMatches(req: IncomingMessage, token: string): boolean {
  const header = req.headers.authorization ?? '';
  return header.startsWith('Bearer ') && safeEqual(header.slice(7), token);
}

export function hasBearer(req: IncomingMessage): boolean {
  return (req.headers.authorization ?? '').startsWith('Bearer ');
}

export function tokenMatches(given: string, token: string): boolean {
  return safeEqual(given, token);
}

function sign(token: string, expiry: number): string {
  return createHmac('sha256', token).update(`sluice-session:${expiry}`).digest('base64url');
}

/** The Set-Cookie header value of a new session. */
export function sessionCookie(token: string, now: number): string {
  const expiry = now + SESSION_MS;
  return `${SESSION_COOKIE}=${expiry}.${sign(token, expiry)}; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=${SESSION_MS / 1000}`;
}

export function clearedSessionCookie(): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=0`;
}

function cookieValue(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export function sessionValid(req: IncomingMessage, token: string, now: number): boolean {
  const value = cookieValue(req, SESSION_COOKIE);
  if (!value) return false;
  const dot = value.indexOf('.');
  const expiry = Number(value.slice(0, dot));
  if (dot <= 0 || !Number.isInteger(expiry) || expiry < now) return false;
  return safeEqual(value.slice(dot + 1), sign(token, expiry));
}

/** The hostname of the Host header, without port ("[::1]:3000" -> "[::1]"). */
export function hostOf(req: IncomingMessage): string {
  const host = (req.headers.host ?? '').toLowerCase();
  return host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.split(':')[0]!;
}

/** Why a browser request that changes state is refused as cross-site, or undefined when it is not. */
export function crossSiteReason(req: IncomingMessage, options: { requireCustomHeader: boolean }): string | undefined {
  const site = req.headers['sec-fetch-site'];
  // Browsers that send Fetch Metadata say exactly where a request comes from; trust it over Origin
  // (which a no-referrer policy turns into "null" on same-origin form posts). Older ones send Origin.
  if (site !== undefined) {
    if (site !== 'same-origin' && site !== 'none') return `Sec-Fetch-Site is "${String(site)}"`;
  } else if (req.headers.origin !== undefined) {
    const origin = req.headers.origin;
    if (origin === 'null') return 'Origin is "null"';
    let originHost: string;
    try {
      originHost = new URL(origin).host.toLowerCase();
    } catch {
      return 'Origin is not a URL';
    }
    if (originHost !== (req.headers.host ?? '').toLowerCase()) return `Origin ${origin} is not this server`;
  }
  if (options.requireCustomHeader && req.headers[CSRF_HEADER] !== '1') return `the ${CSRF_HEADER}: 1 header is missing`;
  return undefined;
}

/** A `next` target after login: a path on this server, never another origin. */
export function safeNext(raw: string | null): string {
  return raw && raw.startsWith('/') && !raw.startsWith('//') && !raw.startsWith('/\\') ? raw : '/';
}
