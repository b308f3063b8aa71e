import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, runCommand, sluice } from '../fixtures/cli.js';

const run = (command: string, args: readonly string[], cwd: string) => runCommand(command, args, { cwd });

describe('sluice init', () => {
  it('scaffolds a project that installs, type-checks and materializes on the embedded store', { timeout: 300_000 }, async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'sluice-init-')), 'my project');
    const init = await sluice(['init', dir], { cwd: REPO });
    expect(init.stderr).toBe('');
    expect(init.code).toBe(0);
    for (const path of ['package.json', 'tsconfig.json', '.gitignore', 'README.md', 'assets/greetings.ts', 'schedules/daily.ts']) {
      expect(init.stdout).toContain(`created ${path}`);
    }
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name: string; dependencies: Record<string, string> };
    expect(pkg.name).toBe('my-project');
    // The copy it ran from: this repository.
    expect(pkg.dependencies.sluice).toBe(`file:${REPO.replace(/\/$/, '')}`);
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toMatch(/^\.sluice\/$/m);

    const install = await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'], dir);
    expect(install.code, install.stderr).toBe(0);

    const materialize = await run('npx', ['sluice', 'materialize', '--select', '*'], dir);
    expect(materialize.code, materialize.stderr).toBe(0);
    expect(materialize.stdout).toMatch(/SUCCESS/);
    expect(materialize.stdout).toMatch(/greetings#not_empty\s+SUCCEEDED/);
    expect(JSON.parse(readFileSync(join(dir, 'output', 'letters.json'), 'utf8'))).toEqual({ hello: 5, hallo: 5, bonjour: 7, hola: 4 });
    expect(existsSync(join(dir, '.sluice', 'runs'))).toBe(true);

    const typecheck = await run(join(dir, 'node_modules', '.bin', 'tsc'), ['--noEmit', '-p', dir], dir);
    expect(typecheck.code, typecheck.stdout).toBe(0);
  });

  it('refuses a non-empty folder with exit 2, and with --force writes only the missing files', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-init-'));
    writeFileSync(join(dir, 'README.md'), '# mine\n');
    const refused = await sluice(['init', dir], { cwd: REPO });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`${dir} is not empty (README.md); pick a new folder, or pass --force`);
    expect(existsSync(join(dir, 'package.json'))).toBe(false);

    const forced = await sluice(['init', dir, '--force', '--sluice-version', '^0.1.0'], { cwd: REPO });
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain('kept    README.md (it exists; not overwritten)');
    expect(forced.stdout).toContain('created assets/greetings.ts');
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toBe('# mine\n');
    expect(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).dependencies).toEqual({ sluice: '^0.1.0' });
  });
});
