/**
 * A resource: a shared client (a warehouse connection, an API client) built once per process from
 * the environment and closed when the process is done with it. Definitions are frozen data;
 * nothing is built at import.
 */
export interface ResourceDefinition<T = unknown> {
  readonly kind: 'resource';
  readonly name: string;
  /** Names of environment variables whose values are secrets: redacted from logs and events. */
  readonly secretEnv: readonly string[];
  readonly create: (env: Readonly<Record<string, string | undefined>>) => T | Promise<T>;
  /** Method syntax on purpose: a resource of any T fits a map of resources (bivariant). */
  close?(value: T): void | Promise<void>;
}

export type ResourceMap = Readonly<Record<string, ResourceDefinition<unknown>>>;

export type ResolvedResources<R extends ResourceMap> = {
  readonly [K in keyof R]: R[K] extends ResourceDefinition<infer T> ? T : never;
};

export function defineResource<T>(spec: {
  name: string;
  secretEnv?: readonly string[];
  create: (env: Readonly<Record<string, string | undefined>>) => T | Promise<T>;
  close?: (value: T) => void | Promise<void>;
}): ResourceDefinition<T> {
  return Object.freeze({
    kind: 'resource' as const,
    name: spec.name,
    secretEnv: Object.freeze([...(spec.secretEnv ?? [])]),
    create: spec.create,
    ...(spec.close ? { close: spec.close } : {}),
  });
}
