import type { ResourceDefinition, ResourceMap } from '../core/asset/resource.js';
import { SluiceError } from '../core/errors.js';

/**
 * Builds each resource at most once per process (by name) on first use and closes them all at
 * the end. The environment is handed in by the composition root.
 */
export class ResourceCache {
  private readonly built = new Map<string, { definition: ResourceDefinition; value: Promise<unknown> }>();

  constructor(private readonly env: Readonly<Record<string, string | undefined>>) {}

  /** The resolved values for an asset's or check's resource map. */
  async resolve(resources: ResourceMap): Promise<Record<string, unknown>> {
    const out: Record<string, unknown> = {};
    for (const [alias, definition] of Object.entries(resources)) out[alias] = await this.get(definition);
    return out;
  }

  get(definition: ResourceDefinition): Promise<unknown> {
    const existing = this.built.get(definition.name);
    if (existing) {
      if (existing.definition !== definition && existing.definition.create !== definition.create) {
        throw new SluiceError('DUPLICATE_RESOURCE', `two different resources are named "${definition.name}"; give each a unique name`, {
          name: definition.name,
        });
      }
      return existing.value;
    }
    const value = Promise.resolve()
      .then(() => definition.create(this.env))
      .catch((error: unknown) => {
        this.built.delete(definition.name);
        throw new SluiceError('RESOURCE_FAILED', `resource "${definition.name}" could not be built: ${(error as Error)?.message ?? String(error)}`, {
          name: definition.name,
        }, { cause: error });
      });
    this.built.set(definition.name, { definition, value });
    return value;
  }

  /** Closes every built resource, newest first; errors are collected, not thrown one by one. */
  async closeAll(): Promise<Error[]> {
    const errors: Error[] = [];
    for (const { definition, value } of [...this.built.values()].reverse()) {
      try {
        const resolved = await value;
        await definition.close?.(resolved);
      } catch (error) {
        errors.push(error as Error);
      }
    }
    this.built.clear();
    return errors;
  }
}
