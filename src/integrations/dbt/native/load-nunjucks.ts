import { createRequire } from 'node:module';
import type nunjucks from 'nunjucks';

const require = createRequire(import.meta.url);
let loaded: typeof nunjucks | undefined;

/**
 * nunjucks, loaded on first use (the Jinja of a dbt project). The public API exports the dbt
 * integration, so importing it at the top cost every process that loads a project ~70 ms of CPU,
 * dbt or not. It is CommonJS: require() returns the module an import would.
 */
export function loadNunjucks(): typeof nunjucks {
  return (loaded ??= require('nunjucks') as typeof nunjucks);
}
