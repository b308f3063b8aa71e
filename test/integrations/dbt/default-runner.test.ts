import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultDbtRunner, onPath } from '../../../src/integrations/dbt/default-runner.js';

describe('the default dbt runner', () => {
  let withDbt: string;
  let withoutDbt: string;
  beforeAll(async () => {
    withDbt = await mkdtemp(join(tmpdir(), 'sluice-path-dbt-'));
    withoutDbt = await mkdtemp(join(tmpdir(), 'sluice-path-none-'));
    await writeFile(join(withDbt, 'dbt'), '#!/bin/sh\nexit 0\n');
    await chmod(join(withDbt, 'dbt'), 0o755);
    // Not executable: does not count.
    await writeFile(join(withoutDbt, 'dbt'), 'not a program');
  });
  afterAll(async () => {
    await rm(withDbt, { recursive: true, force: true });
    await rm(withoutDbt, { recursive: true, force: true });
  });

  it('is the dbt CLI when an executable dbt is on PATH, else the native runner', () => {
    expect(onPath('dbt', [withoutDbt, withDbt].join(delimiter))).toBe(true);
    expect(onPath('dbt', withoutDbt)).toBe(false);
    expect(defaultDbtRunner([withoutDbt, withDbt].join(delimiter)).kind).toBe('dbt');
    expect(defaultDbtRunner(withoutDbt).kind).toBe('native');
  });
});
