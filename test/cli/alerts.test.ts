import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliProcess } from '../faults/fixtures/cli-process.js';
import { sluice, tempProject } from '../fixtures/cli.js';
import { HttpReceiver } from '../daemon/alert-receivers.js';

const SECRET = 'whsec-cli-5e4d3c2b1a09';

const FILES = {
  'assets/a.ts': `
import { defineAsset } from 'sluice';
export const raw = defineAsset({ key: 'raw', materialize: () => ({ metadata: { rows: 1 } }) });
export const publish = defineAsset({ key: 'publish', group: 'promotion', deps: ['raw'], materialize: () => { throw new Error('promotion broke'); } });
`,
  'schedules/alerts.ts': `
import { defineAlert, slack, webhook } from 'sluice';
export const promotionFailed = defineAlert({
  name: 'promotion_failed',
  on: ['run_failure'],
  select: 'group:promotion',
  channels: [webhook({ urlEnv: 'HOOK_URL', secretEnv: 'HOOK_SECRET' }), slack({ webhookUrlEnv: 'SLACK_URL_UNSET' })],
});
`,
};

let daemon: CliProcess | undefined;
const receiver = new HttpReceiver();
beforeAll(async () => {
  await receiver.start();
});
afterAll(async () => {
  await daemon?.kill('SIGKILL');
  await receiver.stop();
});

// Few processes: one project, `alerts test`, a daemon, one failing materialize, `alerts list`.
describe('sluice alerts', () => {
  const dir = tempProject(FILES);
  const env = () => ({ HOOK_URL: `http://127.0.0.1:${receiver.port}/hook`, HOOK_SECRET: SECRET, SLUICE_DASHBOARD_URL: 'http://dash.example' });

  it('test sends a signed test message through each active channel and says which are inactive', async () => {
    const res = await sluice(['alerts', 'test', 'promotion_failed'], { cwd: dir, env: env() });
    expect(res.stdout).toBe('webhook:HOOK_URL: sent\nslack:SLACK_URL_UNSET: inactive (SLACK_URL_UNSET is not set)\n');
    expect(res.code).toBe(0);
    expect(receiver.posts).toHaveLength(1);
    const post = receiver.posts[0]!;
    expect(JSON.parse(post.body)).toMatchObject({ alert: 'promotion_failed', event: 'test', test: true, runId: null });
    expect(post.headers['x-sluice-signature']).toBe(`sha256=${createHmac('sha256', SECRET).update(post.body).digest('hex')}`);
    const unknown = await sluice(['alerts', 'test', 'nope'], { cwd: dir });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown alert "nope"; run `sluice alerts list` to see them (promotion_failed)');
  });

  it('the daemon sends one alert for a failed promotion run, and alerts list shows it sent', async () => {
    daemon = new CliProcess('daemon', ['daemon', '--no-web'], { cwd: dir, env: env() });
    await daemon.waitForOutput(/alert feed started/, 60_000);
    const run = await sluice(['materialize', '--select', 'publish'], { cwd: dir, env: env() });
    expect(run.code).not.toBe(0);
    await daemon.waitForOutput(/alert delivery attempt/, 60_000);
    const alerts = receiver.posts.filter((p) => JSON.parse(p.body).event === 'run_failure');
    expect(alerts).toHaveLength(1);
    const body = JSON.parse(alerts[0]!.body);
    expect(body.runUrl).toBe(`http://dash.example/#/runs/${body.runId}`);
    const list = await sluice(['alerts', 'list', '--json'], { cwd: dir, env: env() });
    expect(list.code).toBe(0);
    const listed = JSON.parse(list.stdout) as { alerts: Array<{ name: string; channels: Array<{ channel: string; sent: number; pending: number; failed: number }> }>; recent: Array<{ runId: string; status: string; idempotencyKey: string }> };
    expect(listed.alerts).toEqual([
      expect.objectContaining({ name: 'promotion_failed', channels: [{ channel: 'webhook:HOOK_URL', sent: 1, pending: 0, failed: 0, lastError: null }, { channel: 'slack:SLACK_URL_UNSET', sent: 0, pending: 0, failed: 0, lastError: null }] }),
    ]);
    expect(listed.recent.map((d) => [d.runId, d.status, d.idempotencyKey])).toEqual([[body.runId, 'SENT', body.idempotencyKey]]);
    expect(list.stdout).not.toContain(SECRET);
    expect(daemon.output).not.toContain(SECRET);
  });
});
