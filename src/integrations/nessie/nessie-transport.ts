import { mapHttpError, mapNetworkError, missingReference, type NessieRequestContext } from './map-nessie-error.js';
import { nessieEndpoint } from './nessie-endpoint.js';
import { NessieError } from './nessie-error.js';

export interface NessieTransportOptions {
  /** The v2 API root, e.g. `http://localhost:19120/api/v2` (a bare server URL gets `/api/v2`). */
  readonly url: string;
  /** Sent as `Authorization: Bearer <token>`; never part of errors, logs or `toJSON`. */
  readonly token?: string;
  /** Per-request timeout (default 30 s). */
  readonly timeoutMs?: number;
  /** For custom agents; defaults to the global fetch of Node 20. */
  readonly fetch?: typeof fetch;
  /** The environment variable `url` came from, for messages (default `SLUICE_NESSIE_URI`). */
  readonly variable?: string;
}

export interface RequestSpec {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly path: string;
  /** Arrays become repeated parameters (`key=a&key=b`). */
  readonly query?: Readonly<Record<string, string | number | readonly string[] | undefined>>;
  readonly body?: unknown;
}

/**
 * One HTTP exchange with a Nessie server: URL, headers (`Nessie-Client-Spec: 2`, so conflicts come
 * with per-key details; the bearer token), timeout, and the mapping of every failure to a
 * NessieError. The token lives in a private field and is scrubbed from anything the server echoed.
 */
export class NessieTransport {
  readonly endpoint: string;
  readonly #token: string | undefined;
  readonly #timeoutMs: number;
  readonly #fetch: typeof fetch;

  constructor(options: NessieTransportOptions) {
    this.endpoint = nessieEndpoint(options.url, options.variable);
    const token = options.token?.trim();
    this.#token = token ? token : undefined;
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#fetch = options.fetch ?? globalThis.fetch;
  }

  get authenticated(): boolean {
    return this.#token !== undefined;
  }

  redact(text: string): string {
    return this.#token === undefined ? text : text.split(this.#token).join('[REDACTED]');
  }

  /**
   * Sends `spec` and parses a successful body with `parse`. On a 404 naming a reference,
   * `suggestFor` (when given) proposes close names for the message.
   */
  async call<T>(
    partial: Omit<NessieRequestContext, 'endpoint'>,
    spec: RequestSpec,
    parse: (body: unknown) => T,
    suggestFor?: (name: string) => Promise<string[]>,
  ): Promise<T> {
    const ctx: NessieRequestContext = { ...partial, endpoint: this.endpoint };
    const url = new URL(`${this.endpoint}${spec.path}`);
    for (const [k, v] of Object.entries(spec.query ?? {})) {
      if (v === undefined) continue;
      for (const value of Array.isArray(v) ? v : [v]) url.searchParams.append(k, String(value));
    }
    const headers: Record<string, string> = { Accept: 'application/json', 'Nessie-Client-Spec': '2' };
    if (spec.body !== undefined) headers['Content-Type'] = 'application/json';
    if (this.#token !== undefined) headers.Authorization = `Bearer ${this.#token}`;

    let response: Response;
    let text: string;
    try {
      response = await this.#fetch(url, {
        method: spec.method,
        headers,
        ...(spec.body !== undefined ? { body: JSON.stringify(spec.body) } : {}),
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      throw mapNetworkError(ctx, error, this.#timeoutMs, (s) => this.redact(s));
    }
    const body = parseJson(text);
    if (!response.ok) {
      const errorBody = body !== null && typeof body === 'object' ? (body as Parameters<typeof mapHttpError>[2]) : undefined;
      // Only a reference that does not exist gets "did you mean" (not a missing commit, nor "no common ancestor").
      const namesReference = response.status === 404 && errorBody?.errorCode === 'REFERENCE_NOT_FOUND' && /reference '.*' not found/i.test(errorBody.message ?? '');
      const missing = namesReference && suggestFor ? missingReference(ctx.references ?? [], String(errorBody?.message ?? '')) : undefined;
      const suggestions = missing === undefined || !suggestFor ? [] : await suggestFor(missing);
      throw mapHttpError(ctx, response.status, errorBody, (s) => this.redact(s), suggestions);
    }
    try {
      return parse(body);
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      throw new NessieError(
        'NESSIE_BAD_RESPONSE',
        `Nessie at ${this.endpoint} answered ${ctx.operation} with an unexpected body (${this.redact(why)}): check that SLUICE_NESSIE_URI points at a Nessie REST API v2 root`,
        { operation: ctx.operation, endpoint: this.endpoint, status: response.status },
        { kind: 'internal' },
      );
    }
  }
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
