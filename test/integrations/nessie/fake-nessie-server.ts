import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeNessieFailure, FakeNessieRepo, NO_ANCESTOR, type FakeRefType } from './fake-nessie-repo.js';

/**
 * A stand-in Nessie server (no Nessie can run here) speaking the REST API v2 as documented in
 * projectnessie/nessie `HttpTreeApi`, `HttpConfigApi` and `META-INF/openapi.yaml`: the routes
 * Sluice uses, under `/api/v2`, with Nessie's error bodies `{ status, reason, message, errorCode }`
 * (plus `errorDetails` for clients sending `Nessie-Client-Spec: 2`). It is strict where Nessie is:
 * invalid names and hashes, a missing expected hash, a missing `fromHash`, a non-JSON body, bad
 * paging parameters and missing credentials are all rejected, so a client that gets the contract
 * wrong fails its tests.
 */
export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly authorization: string | undefined;
}

const REF_NAME = /^(?:[A-Za-z](?:(?:(?!\.\.)[A-Za-z0-9./_-])*[A-Za-z0-9_-])?)$/;
const HASH = /^[0-9a-fA-F]{8,64}$/;
const REASONS: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict', 415: 'Unsupported Media Type', 503: 'Service Unavailable' };

export class FakeNessieServer {
  readonly repo = new FakeNessieRepo();
  readonly requests: RecordedRequest[] = [];
  /** The log page size the server uses when the client gives none, and its cap. */
  maxLogPage = 250;
  private server: Server | undefined;
  private injected: { status: number; body: unknown } | undefined;

  constructor(private readonly options: { token?: string } = {}) {}

  /** `http://127.0.0.1:<port>/api/v2` */
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/api/v2`;
    return this;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  /** The next request gets this answer instead (403, 503, a proxy's HTML page, ...). */
  failNext(status: number, body: unknown): void {
    this.injected = { status, body };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    this.requests.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization });
    const raw = await readBody(req);
    const spec = Number(req.headers['nessie-client-spec'] ?? '1');
    try {
      if (this.options.token !== undefined && req.headers.authorization !== `Bearer ${this.options.token}`) {
        // Quarkus' auth layer answers before Nessie does: a bare 401, no Nessie body.
        res.writeHead(401, { 'www-authenticate': 'Bearer' }).end();
        return;
      }
      if (this.injected) {
        const { status, body } = this.injected;
        this.injected = undefined;
        send(res, status, body);
        return;
      }
      send(res, 200, this.route(req.method ?? 'GET', url, req.headers['content-type'], raw));
    } catch (error) {
      if (!(error instanceof FakeNessieFailure)) {
        send(res, 500, { status: 500, reason: 'Internal Server Error', message: String(error), errorCode: 'UNKNOWN' });
        return;
      }
      send(res, error.status, {
        status: error.status,
        reason: REASONS[error.status] ?? 'Error',
        message: error.message,
        errorCode: error.errorCode,
        ...(spec >= 2 && error.conflicts.length > 0
          ? {
              errorDetails: {
                type: 'REFERENCE_CONFLICTS',
                conflicts: error.conflicts.map((c) => ({ conflictType: c.conflictType, message: c.message, ...(c.key ? { key: { elements: c.key.split('.') } } : {}) })),
              },
            }
          : {}),
      });
    }
  }

  private route(method: string, url: URL, contentType: string | undefined, raw: string): unknown {
    const path = url.pathname;
    if (!path.startsWith('/api/v2/')) throw new FakeNessieFailure(404, 'UNKNOWN', `no route for ${path}`);
    const rest = path.slice('/api/v2'.length);
    if (rest === '/config' && method === 'GET') {
      return { defaultBranch: this.repo.defaultBranch, minSupportedApiVersion: 1, maxSupportedApiVersion: 2, actualApiVersion: 2, specVersion: '2.1.0', noAncestorHash: NO_ANCESTOR };
    }
    if (rest === '/trees' && method === 'GET') return this.listReferences(url);
    if (rest === '/trees' && method === 'POST') return this.createReference(url, json(contentType, raw));
    if (!rest.startsWith('/trees/')) throw new FakeNessieFailure(404, 'UNKNOWN', `no route for ${path}`);
    let element = rest.slice('/trees/'.length);
    let action = '';
    for (const suffix of ['/history/merge', '/history']) {
      if (element.endsWith(suffix)) {
        action = suffix;
        element = element.slice(0, -suffix.length);
        break;
      }
    }
    const { name, hash } = parseRefElement(element);
    if (action === '' && method === 'GET') {
      if (hash !== undefined) throw badRequest('a reference lookup takes a name, not name@hash');
      return { reference: this.reference(name) };
    }
    if (action === '' && method === 'DELETE') {
      if (!hash) throw badRequest('Must provide expected hash value for operation.');
      return { reference: this.repo.delete(name, refType(url.searchParams.get('type'), false), hash) };
    }
    if (action === '/history' && method === 'GET') return this.log(name, hash, url);
    if (action === '/history/merge' && method === 'POST') {
      if (!hash) throw badRequest('Must provide expected hash value for operation.');
      const body = json(contentType, raw) as Record<string, unknown>;
      if (typeof body.fromRefName !== 'string' || !REF_NAME.test(body.fromRefName)) throw badRequest('mergeRefIntoBranch.merge.fromRefName: must not be blank');
      if (typeof body.fromHash !== 'string' || !HASH.test(body.fromHash)) throw badRequest('mergeRefIntoBranch.merge.fromHash: must not be blank');
      const meta = body.commitMeta as { message?: unknown } | undefined;
      const message = typeof meta?.message === 'string' ? meta.message : typeof body.message === 'string' ? body.message : undefined;
      return this.repo.merge(name, hash, body.fromRefName, body.fromHash, message, body.dryRun === true);
    }
    throw new FakeNessieFailure(405, 'UNKNOWN', `${method} not allowed on ${path}`);
  }

  private reference(name: string) {
    const ref = this.repo.ref(name);
    return { type: ref.type, name, hash: ref.hash };
  }

  private listReferences(url: URL) {
    const names = [...this.repo.refs.keys()].sort();
    const { offset, max } = paging(url, names.length, 1000);
    const page = names.slice(offset, offset + max);
    const more = offset + max < names.length;
    return { references: page.map((n) => this.reference(n)), hasMore: more, ...(more ? { token: encodeToken(offset + max) } : {}) };
  }

  private createReference(url: URL, body: unknown) {
    const name = url.searchParams.get('name');
    if (name === null || !REF_NAME.test(name) || HASH.test(name)) throw badRequest(`createReference.name: Reference name must start with a letter ... - but was: ${name}`);
    const type = refType(url.searchParams.get('type'), true)!;
    const source = body as { type?: unknown; name?: unknown; hash?: unknown } | null;
    if (!source || typeof source.name !== 'string' || (source.type !== 'BRANCH' && source.type !== 'TAG')) {
      throw badRequest('createReference.reference: a source reference { type, name, hash? } is required');
    }
    if (source.hash !== undefined && source.hash !== null && (typeof source.hash !== 'string' || !HASH.test(source.hash))) {
      throw badRequest(`Hash must consist of the hex representation of 4-32 bytes - but was: ${String(source.hash)}`);
    }
    return { reference: this.repo.create(name, type, source.name, (source.hash as string | undefined) ?? undefined) };
  }

  private log(name: string, hash: string | undefined, url: URL) {
    const ref = this.repo.ref(name);
    const chain = this.repo.firstParentChain(ref.hash).filter((h) => h !== NO_ANCESTOR);
    const start = hash === undefined || hash === '' ? 0 : chain.indexOf(hash);
    if (start < 0) throw new FakeNessieFailure(404, 'REFERENCE_NOT_FOUND', `Could not find commit '${hash}' in reference '${name}'.`);
    const entries = chain.slice(start);
    const { offset, max } = paging(url, entries.length, this.maxLogPage);
    const more = offset + max < entries.length;
    return {
      logEntries: entries.slice(offset, offset + max).map((h) => {
        const c = this.repo.commits.get(h)!;
        return {
          commitMeta: {
            hash: c.hash,
            message: c.message,
            author: c.author,
            committer: c.author,
            commitTime: c.commitTime,
            authorTime: c.commitTime,
            properties: {},
            parentHashes: [c.parent, ...(c.mergeParent ? [c.mergeParent] : [])],
          },
        };
      }),
      hasMore: more,
      ...(more ? { token: encodeToken(offset + max) } : {}),
    };
  }
}

function badRequest(message: string): FakeNessieFailure {
  return new FakeNessieFailure(400, 'BAD_REQUEST', message);
}

/** `{ref}` path element: `name`, `name@`, `name@hash`; `%40` accepted for `@` (REF_NAME_PATH_ELEMENT_REGEX). */
function parseRefElement(element: string): { name: string; hash: string | undefined } {
  const decoded = decodeURIComponent(element);
  const at = decoded.lastIndexOf('@');
  const name = at < 0 ? decoded : decoded.slice(0, at);
  const hash = at < 0 ? undefined : decoded.slice(at + 1);
  if (at < 0 && name.includes('/')) throw new FakeNessieFailure(404, 'UNKNOWN', `no route for a reference path element ${element}`);
  if (!REF_NAME.test(name)) throw badRequest(`Reference name must start with a letter, followed by letters, digits, one of the ./_- characters, not end with a slash or dot, not contain '..' - but was: ${name}`);
  if (hash !== undefined && hash !== '' && !HASH.test(hash)) throw badRequest(`Hash must consist of the hex representation of 4-32 bytes - but was: ${hash}`);
  return { name, hash: hash === '' ? undefined : hash };
}

function refType(value: string | null, required: boolean): FakeRefType | undefined {
  if (value === null) {
    if (required) throw badRequest('createReference.type: must not be null');
    return undefined;
  }
  const upper = value.toUpperCase();
  if (upper !== 'BRANCH' && upper !== 'TAG') throw badRequest(`Invalid reference type '${value}'`);
  return upper;
}

function paging(url: URL, total: number, cap: number): { offset: number; max: number } {
  const rawMax = url.searchParams.get('maxRecords');
  const max = rawMax === null ? cap : Number(rawMax);
  if (!Number.isInteger(max) || max <= 0) throw badRequest(`maxRecords must be a positive integer - but was: ${rawMax}`);
  const token = url.searchParams.get('pageToken');
  const offset = token === null ? 0 : decodeToken(token);
  if (!Number.isInteger(offset) || offset < 0 || offset > total) throw badRequest(`invalid pageToken ${token}`);
  return { offset, max: Math.min(max, cap) };
}

const encodeToken = (offset: number) => Buffer.from(`o:${offset}`).toString('hex');
const decodeToken = (token: string) => {
  const text = Buffer.from(token, 'hex').toString();
  return text.startsWith('o:') ? Number(text.slice(2)) : Number.NaN;
};

function json(contentType: string | undefined, raw: string): unknown {
  if (!contentType?.startsWith('application/json')) throw new FakeNessieFailure(415, 'UNSUPPORTED_MEDIA_TYPE', `Unsupported media type ${contentType ?? '(none)'}`);
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    throw badRequest('request body is not valid JSON');
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (typeof body === 'string') {
    res.writeHead(status, { 'content-type': 'text/html' }).end(body);
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
