/**
 * The structural subset of a validation schema Sluice needs (zod 4 satisfies it), so that core
 * owns its port type instead of importing a library's.
 */
export interface ConfigSchema<T = unknown> {
  safeParse(input: unknown):
    | { success: true; data: T }
    | { success: false; error: { issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }> } };
}

export type InferConfig<S> = S extends ConfigSchema<infer T> ? T : Record<string, never>;
