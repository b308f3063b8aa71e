/** Where the example pipeline writes (write-audit-publish). */
export const SCHEMAS = Object.freeze({
  /** Written by ingest and transforms, audited by checks. */
  dev: 'dev',
  /** What readers use; replaced from dev atomically once the checks pass. */
  main: 'main',
  /** On the publish target: plain tables for consumers. */
  marts: 'marts',
});
