import { defineResource, nessieClientFromEnv, nessieConfigured, type NessieClient } from 'sluice';

/** The Nessie side of the example's write-audit-publish, when a Nessie server is configured. */
export interface NessieLakehouse {
  readonly client: NessieClient;
  /** The branch readers use (`SLUICE_NESSIE_MAIN`, default `main`); it must exist. */
  readonly main: string;
  /** The audited branch the data assets commit to (`SLUICE_NESSIE_DEV`, default `dev`). */
  readonly dev: string;
  /** Release tags are `<prefix>YYYY-MM-DD` (`SLUICE_NESSIE_RELEASE_PREFIX`, default `release-`). */
  readonly releasePrefix: string;
}

/** The namespace of the example's tables in the catalog: `glucose.raw_entries`, `glucose.daily_glucose`, ... */
export const NESSIE_NAMESPACE = 'glucose';

/**
 * `nessie_lakehouse`: with `SLUICE_NESSIE_URI` set (the Nessie REST API v2 root; the older
 * `SLUICE_NESSIE_URL` works too, and `SLUICE_NESSIE_TOKEN` is its bearer token), the promotion
 * assets act on that Nessie catalog as well: the data assets commit their tables on `dev`,
 * promote_dev_to_main merges `dev` into `main`, tag_release tags `main`. Unset, the resource is
 * null and the example runs on Postgres schemas alone. The branch names are settable so that
 * several pipelines (or tests) can share one server.
 */
export const nessieLakehouse = defineResource<NessieLakehouse | null>({
  name: 'nessie_lakehouse',
  secretEnv: ['SLUICE_NESSIE_TOKEN'],
  create: (env) => {
    if (!nessieConfigured(env)) return null;
    return {
      client: nessieClientFromEnv(env, 'nessie_lakehouse'),
      main: env.SLUICE_NESSIE_MAIN?.trim() || 'main',
      dev: env.SLUICE_NESSIE_DEV?.trim() || 'dev',
      releasePrefix: env.SLUICE_NESSIE_RELEASE_PREFIX?.trim() || 'release-',
    };
  },
});
