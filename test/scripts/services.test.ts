import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { promisify } from 'node:util';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createRedis } from '../../src/execution/bullmq/redis-connection.js';
import { CHROMIUM } from '../web/browser.js';
import { requireNessie, serviceVersions, SERVICES_UP, TEST_DATABASE_URL, TEST_REDIS_URL, testDbt } from '../fixtures/services.js';

const run = promisify(execFile);
const pins = serviceVersions();

/** The services `scripts/services.sh up` brings up are there and are the pinned versions. */
describe('test services', () => {
  it('PostgreSQL answers on the test database with the pinned major version', async () => {
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await client.connect().catch((error: unknown) => {
      throw new Error(`no Postgres at ${TEST_DATABASE_URL}: run \`${SERVICES_UP}\``, { cause: error });
    });
    try {
      const { rows } = await client.query<{ v: string }>("select current_setting('server_version_num') as v");
      expect(Math.floor(Number(rows[0]!.v) / 10_000)).toBe(Number(pins.POSTGRES_MAJOR));
    } finally {
      await client.end();
    }
  });

  it('Redis answers PING', async () => {
    const redis = createRedis(TEST_REDIS_URL);
    try {
      expect(await redis.ping()).toBe('PONG');
    } finally {
      redis.disconnect();
    }
  });

  it('real dbt-core with the Postgres adapter, at the pinned versions', async () => {
    const { stdout } = await run(testDbt(), ['--version'], { env: { ...process.env, DBT_SEND_ANONYMOUS_USAGE_STATS: 'false' } });
    expect(stdout).toContain(`installed: ${pins.DBT_CORE_VERSION}`);
    expect(stdout).toMatch(new RegExp(`postgres: ${pins.DBT_POSTGRES_VERSION!.replaceAll('.', '\\.')}`));
  });

  it('a real Nessie server speaking REST API v2', async () => {
    const config = await requireNessie();
    expect(config.specVersion).toMatch(/^2\./);
    expect(config.defaultBranch).toBe('main');
  });

  it("Debian's chromium is installed", () => {
    expect(() => accessSync(CHROMIUM, constants.X_OK), `no chromium at ${CHROMIUM}: run \`${SERVICES_UP}\``).not.toThrow();
  });
});
