import { describe, expect, it } from 'vitest';
import type { SluiceError } from '../../src/core/errors.js';
import { defineSensor, onAssetEvents } from '../../src/index.js';
import { loadSensors } from '../../src/runtime/load-sensors.js';
import { graphOf, noop } from '../fixtures/graph.js';

describe('loadSensors', () => {
  it('reports a selection that fails or selects nothing, and a name used twice, naming the sensor and its file; keeps the rest, by name', () => {
    const graph = graphOf([noop('raw'), noop('clean', ['raw'])]);
    const evaluate = () => ({});
    const problems: SluiceError[] = [];
    const loaded = loadSensors(
      [
        { definition: defineSensor({ name: 'zeta', select: 'clean', evaluate }), source: 'schedules/z.ts' },
        { definition: onAssetEvents({ name: 'typo', assets: 'key:rwa', evaluate }), source: 'schedules/t.ts' },
        { definition: defineSensor({ name: 'empty', select: 'raw and clean', evaluate }), source: 'schedules/e.ts' },
        { definition: onAssetEvents({ name: 'alpha', assets: 'raw', evaluate }), source: 'schedules/a.ts' },
        { definition: defineSensor({ name: 'alpha', evaluate }), source: 'assets/b.ts' },
      ],
      graph,
      (problem) => problems.push(problem),
    );
    expect(loaded.map((s) => s.definition.name)).toEqual(['alpha', 'zeta']);
    expect(problems.map((p) => p.code)).toEqual(['INVALID_SENSOR', 'INVALID_SENSOR', 'DUPLICATE_SENSOR']);
    expect(problems[0]!.message).toMatch(/^sensor "typo" in schedules\/t\.ts: assets "key:rwa": .*did you mean/);
    expect(problems[1]!.message).toBe('sensor "empty" in schedules/e.ts: select "raw and clean": selects no assets');
    expect(problems[2]!.message).toBe('sensor "alpha" is defined twice: in schedules/a.ts and in assets/b.ts; rename one');
  });
});
