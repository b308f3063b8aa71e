import { describe, expect, it } from 'vitest';
import { sluice, tempProject } from '../fixtures/cli.js';

const project = tempProject({ 'assets/a.ts': "import { defineAsset } from 'sluice';\nexport const a = defineAsset({ key: 'a', materialize: () => {} });\n" });

describe('sluice web and daemon --web-host', () => {
  it('refuses to serve the dashboard on a non-loopback address without SLUICE_WEB_TOKEN (exit 2, nothing opened)', async () => {
    for (const command of ['web', 'daemon']) {
      const result = await sluice([command, '--web-host', '0.0.0.0', '--project', project], { cwd: project });
      expect(result.code, command).toBe(2);
      expect(result.stderr).toContain('error: the dashboard would listen on 0.0.0.0, which is not a loopback address, without access control; set SLUICE_WEB_TOKEN');
    }
  });

  it('serves the dashboard alone with `sluice web`, behind the token off loopback', async () => {
    const token = 'cli-web-token-0123456789';
    let child: { kill: (s: string) => void } | undefined;
    let url: string | undefined;
    const done = sluice(['web', '--web-host', '0.0.0.0', '--web-port', '0', '--project', project], {
      cwd: project,
      env: { SLUICE_WEB_TOKEN: token },
      onSpawn: (c) => {
        child = c as unknown as { kill: (s: string) => void };
        c.stderr!.on('data', (d: Buffer) => {
          url ??= /dashboard at (http:\/\/\S+?)[ ;\n]/.exec(d.toString())?.[1];
        });
      },
    });
    while (!url) await new Promise((r) => setTimeout(r, 50));
    const local = url.replace('0.0.0.0', '127.0.0.1');
    expect((await fetch(`${local}/api/assets`)).status).toBe(401);
    const ok = await fetch(`${local}/api/assets`, { headers: { authorization: `Bearer ${token}` } });
    expect(((await ok.json()) as { assets: Array<{ key: string }> }).assets.map((a) => a.key)).toEqual(['a']);
    child!.kill('SIGTERM');
    const result = await done;
    expect(result.code).toBe(0);
    expect(result.stderr).not.toContain(token);
  });
});
