import type { IncomingMessage } from 'node:http';
import { apiContract, type JsonRouteName, type RouteBody, type RouteName, type RouteParams, type RouteQuery, type RouteResponse } from './api-contract.js';
import { HttpError, readJson } from './http-util.js';
import { parseRequest, queryObject } from './request-schema.js';

/** A handler's answer that hands the request to the next route matching it (see assetPartitions). */
export const NEXT_ROUTE: unique symbol = Symbol('next route');

/** One route's handler, typed from the contract: parsed input in, the route's answer out. */
export type Handler<K extends JsonRouteName> = (input: {
  readonly params: RouteParams<K>;
  readonly query: RouteQuery<K>;
  readonly body: RouteBody<K>;
}) => Promise<RouteResponse<K> | typeof NEXT_ROUTE>;

export type Handlers<K extends JsonRouteName> = { readonly [N in K]: Handler<N> };

/** Request in, [status, JSON body] out; errors are thrown (api-server.ts maps them to statuses). */
export type Route = (req: IncomingMessage, url: URL) => Promise<[number, unknown]>;

interface Compiled {
  readonly name: RouteName;
  readonly pattern: RegExp;
  readonly params: readonly string[];
}

function compile(name: RouteName, path: string): Compiled {
  const params: string[] = [];
  const source = path
    .split('/')
    .map((part) => {
      const param = /^:([A-Za-z]+)(\+?)$/.exec(part);
      if (!param) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      params.push(param[1]!);
      return param[2] ? '(.+)' : '([^/]+)';
    })
    .join('/');
  return { name, pattern: new RegExp(`^${source}$`), params };
}

const COMPILED = (Object.keys(apiContract) as RouteName[]).map((name) => compile(name, apiContract[name].path));

function decode(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new HttpError(400, 'INVALID_PATH', `"${raw}" is not a valid percent-encoded path segment`);
  }
}

/**
 * The JSON routes of the contract served by `handlers`: finds the route by method and path (in the
 * contract's order), parses its path parameters, query and body with the contract's schemas (400
 * naming the field otherwise), calls its handler and answers with the route's status.
 */
export function dispatch(handlers: Partial<Handlers<JsonRouteName>>): Route {
  return async (req, url) => {
    const method = req.method ?? 'GET';
    for (const { name, pattern, params } of COMPILED) {
      const spec = apiContract[name];
      const handler = handlers[name as JsonRouteName] as Handler<JsonRouteName> | undefined;
      if (spec.method !== method || !handler) continue;
      const match = pattern.exec(url.pathname);
      if (!match) continue;
      const values = Object.fromEntries(params.map((param, i) => [param, decode(match[i + 1]!)]));
      const query = 'query' in spec ? parseRequest(spec.query, queryObject(url.searchParams), 'INVALID_QUERY') : undefined;
      const body = 'body' in spec ? parseRequest(spec.body, await readJson(req), 'INVALID_REQUEST') : undefined;
      const answer = await handler({ params: values, query, body } as Parameters<Handler<JsonRouteName>>[0]);
      if (answer === NEXT_ROUTE) continue;
      return [('status' in spec ? spec.status : undefined) ?? 200, answer];
    }
    throw new HttpError(404, 'NOT_FOUND', `no route ${method} ${url.pathname}`);
  };
}
