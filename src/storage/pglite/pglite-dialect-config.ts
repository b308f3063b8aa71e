import type { PGliteLike } from './pglite-like.js';

export interface PGliteDialectConfig {
  /** The database, or a factory called once on first use. The driver closes it on destroy. */
  readonly pglite: PGliteLike | (() => Promise<PGliteLike>);
}
