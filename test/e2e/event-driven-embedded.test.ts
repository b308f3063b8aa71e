import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe } from 'vitest';
import { apiClient } from '../../src/web/api-client.js';
import { CliProcess } from '../faults/fixtures/cli-process.js';
import { sluice, tempProject } from '../fixtures/cli.js';
import { eventDrivenTests, type EventWorld } from './fixtures/event-driven-suite.js';
import { eventProjectFiles } from './fixtures/event-project.js';

// The embedded store (PGlite, one process): one `sluice daemon` evaluates the sensors and the
// automation and executes the runs; the test talks to it through its API and the CLI, as a user would.
let world: EventWorld;
let daemon: CliProcess | undefined;
let dir: string | undefined;

beforeAll(async () => {
  dir = tempProject(eventProjectFiles());
  const env = { E2E_PROJECT: dir, SLUICE_SENSOR_POLL_MS: '100', SLUICE_AUTOMATION_INTERVAL_MS: '300' };
  daemon = new CliProcess('daemon', ['daemon', '--no-web'], { cwd: dir, env });
  await daemon.waitForOutput(/ready: executor in-process, project \S+, 0 schedules, 4 sensors\b/, 90_000);
  const address = JSON.parse(readFileSync(join(dir, '.sluice', 'daemon.json'), 'utf8')) as { url: string; token: string };
  const projectDir = dir;
  const proc = daemon;
  world = {
    dir: projectDir,
    api: apiClient(address.url, address.token),
    cli: (args) => sluice(args, { cwd: projectDir, env }),
    diagnostics: () => `--- daemon ${proc.alive ? 'alive' : JSON.stringify(proc.exit)}\n${proc.output.slice(-4000)}`,
  };
});

afterAll(async () => {
  await daemon?.kill('SIGKILL');
  // FAULT_DEBUG=1, as for the fault tests: what the daemon printed.
  if (process.env.FAULT_DEBUG && daemon) process.stderr.write(`${daemon.output}\n`);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('sensors, automation and external events with a real embedded daemon (PGlite)', () => {
  eventDrivenTests(() => world);
});
