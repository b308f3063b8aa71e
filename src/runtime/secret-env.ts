import type { ResourceMap } from '../core/asset/resource.js';
import type { LoadedProject } from './load-project.js';

/** The names of the secret environment variables the project's resources list (`secretEnv`). */
export function secretEnvOf(project: LoadedProject): string[] {
  const maps = [...project.graph.assets(), ...project.graph.allChecks()].map((d) => d.resources as ResourceMap);
  return [...new Set(maps.flatMap((m) => Object.values(m).flatMap((r) => r.secretEnv)))];
}
