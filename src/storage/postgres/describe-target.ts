/**
 * `host:port/database` of a Postgres connection string, for messages: never the user's password.
 * Keyword/value strings (`host=... password=...`) are not echoed at all.
 */
export function describeTarget(connectionString: string): string {
  let url: URL;
  try {
    url = new URL(connectionString);
  } catch {
    return 'the configured Postgres server';
  }
  const host = decodeURIComponent(url.hostname) || url.searchParams.get('host') || 'localhost';
  const port = url.port || '5432';
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  return `${host}:${port}${database ? `/${database}` : ''}`;
}
