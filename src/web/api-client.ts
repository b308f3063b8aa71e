import { SluiceError } from '../core/errors.js';
import { routeUrl } from './static/route-url.js';
import { apiContract, type ApiError, type JsonRouteName, type RouteBodyInput, type RouteParams, type RouteQueryInput, type RouteResponse } from './api-contract.js';

/** What a call of route `K` sends: its path parameters, query and body, each as the contract types it. */
export type CallInput<K extends JsonRouteName> = (keyof RouteParams<K> extends never ? { readonly params?: undefined } : { readonly params: RouteParams<K> }) &
  (RouteQueryInput<K> extends undefined ? { readonly query?: undefined } : { readonly query?: RouteQueryInput<K> }) &
  (RouteBodyInput<K> extends undefined ? { readonly body?: undefined } : { readonly body: RouteBodyInput<K> });

/** The server did not answer at all (refused, reset, no such host). */
export class ApiUnreachableError extends SluiceError {
  constructor(url: string, cause: Error) {
    super('API_UNREACHABLE', `no answer from ${url}: ${cause.message}`, { url }, { kind: 'internal', cause });
  }
}

export interface ApiClient {
  /** Calls route `name`; resolves with its answer, or throws a SluiceError with the server's code and message (kind `input` for a 4xx). */
  call<K extends JsonRouteName>(name: K, ...input: {} extends CallInput<K> ? [input?: CallInput<K>] : [input: CallInput<K>]): Promise<RouteResponse<K>>;
}

/**
 * A client of the API contract for programs (the CLI's RemoteRunService): every route by name,
 * its input and answer typed from api-contract.ts, authenticated with the bearer `token`.
 */
export function apiClient(baseUrl: string, token: string | undefined): ApiClient {
  return {
    async call<K extends JsonRouteName>(name: K, ...[input]: [input?: CallInput<K>]): Promise<RouteResponse<K>> {
      const spec = apiContract[name];
      const url = `${baseUrl}${routeUrl(spec.path, input?.params, input?.query as object | undefined)}`;
      const body = input?.body;
      let res: Response;
      try {
        res = await fetch(url, {
          method: spec.method,
          headers: { ...(token === undefined ? {} : { authorization: `Bearer ${token}` }), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
      } catch (error) {
        throw new ApiUnreachableError(baseUrl, error as Error);
      }
      const json = (await res.json().catch(() => undefined)) as unknown;
      if (!res.ok || json === undefined) {
        const error = (json as Partial<ApiError> | undefined)?.error ?? { code: 'BAD_RESPONSE', message: `${spec.method} ${url} answered HTTP ${res.status} without a JSON body` };
        throw new SluiceError(error.code, error.message, { status: res.status }, { kind: res.status < 500 ? 'input' : 'internal' });
      }
      return json as RouteResponse<K>;
    },
  };
}
