import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { InvalidRunConfigError, validateRunConfig } from '../../../src/core/plan/validate-run-config.js';
import { graphOf, noop } from '../../fixtures/graph.js';

const graph = graphOf([
  noop('raw/entries', [], { config: z.object({ days: z.number().int().min(1).default(3), mode: z.enum(['full', 'delta']).default('full') }) }),
  noop('plain', ['raw/entries']),
]);
const all = new Set(['raw/entries', 'plain']);

describe('validateRunConfig', () => {
  it('applies defaults for selected assets with a schema', () => {
    expect(validateRunConfig(graph, all, undefined)).toEqual({ 'raw/entries': { days: 3, mode: 'full' } });
    expect(validateRunConfig(graph, all, { 'raw/entries': { days: 7 } })).toEqual({ 'raw/entries': { days: 7, mode: 'full' } });
  });

  it('names the asset and field of an invalid value', () => {
    expect(() => validateRunConfig(graph, all, { 'raw/entries': { days: 0 } })).toThrow(/invalid config for asset "raw\/entries" in run config: field "days": /);
    try {
      validateRunConfig(graph, all, { 'raw/entries': { mode: 'sideways' } }, 'cfg.json');
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidRunConfigError);
      expect((error as InvalidRunConfigError).data).toMatchObject({ key: 'raw/entries', field: 'mode', where: 'cfg.json' });
    }
  });

  it('rejects config for unknown, unselected or config-less assets', () => {
    expect(() => validateRunConfig(graph, all, { 'raw/entrie': {} })).toThrow('run config names unknown asset "raw/entrie" (did you mean "raw/entries"?)');
    expect(() => validateRunConfig(graph, new Set(['plain']), { 'raw/entries': {} })).toThrow(/which is not selected/);
    expect(() => validateRunConfig(graph, all, { plain: {} })).toThrow(/which takes no config/);
    expect(() => validateRunConfig(graph, all, [1])).toThrow(/must be a JSON object keyed by asset key/);
  });
});
