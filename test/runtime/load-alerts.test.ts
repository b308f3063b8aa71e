import { describe, expect, it } from 'vitest';
import type { SluiceError } from '../../src/core/errors.js';
import { defineAlert, webhook } from '../../src/index.js';
import { loadAlerts } from '../../src/runtime/load-alerts.js';
import { graphOf, noop } from '../fixtures/graph.js';

describe('loadAlerts', () => {
  it('reports a select that fails or selects nothing, and a name used twice, naming the alert and its file; keeps the rest, by name', () => {
    const graph = graphOf([noop('raw'), noop('publish', ['raw'], { group: 'promotion' })]);
    const channels = [webhook({ urlEnv: 'HOOK_URL' })];
    const problems: SluiceError[] = [];
    const loaded = loadAlerts(
      [
        { definition: defineAlert({ name: 'zeta', on: ['run_failure'], select: 'group:promotion', channels }), source: 'schedules/z.ts' },
        { definition: defineAlert({ name: 'typo', on: ['run_failure'], select: 'key:pubish', channels }), source: 'schedules/t.ts' },
        { definition: defineAlert({ name: 'alpha', on: ['run_success'], channels }), source: 'schedules/a.ts' },
        { definition: defineAlert({ name: 'alpha', on: ['run_failure'], channels }), source: 'assets/b.ts' },
      ],
      graph,
      (problem) => problems.push(problem),
    );
    expect(loaded.map((a) => a.definition.name)).toEqual(['alpha', 'zeta']);
    expect(problems.map((p) => p.code)).toEqual(['INVALID_ALERT', 'DUPLICATE_ALERT']);
    expect(problems[0]!.message).toMatch(/^alert "typo" in schedules\/t\.ts: select "key:pubish": /);
    expect(problems[1]!.message).toBe('alert "alpha" is defined twice: in schedules/a.ts and in assets/b.ts; rename one');
  });
});
