/**
 * Sluice's per-user cache folder (PGlite's initdb template, dbt's partial-parse and manifests):
 * SLUICE_CACHE_DIR, else $XDG_CACHE_HOME/sluice, else <home>/.cache/sluice. Never a shared temp
 * folder another user could write. Pure: the environment and the home folder come in.
 */
export function cacheDir(env: Readonly<Record<string, string | undefined>>, home: string): string {
  return env.SLUICE_CACHE_DIR ?? `${env.XDG_CACHE_HOME ?? `${home}/.cache`}/sluice`;
}
