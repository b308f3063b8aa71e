import { describe, expect, it } from 'vitest';
import type { DbtNode, DbtProject, DbtSource } from '../../../../src/integrations/dbt/dbt-project.js';
import { genericTestName } from '../../../../src/integrations/dbt/native/generic-test-name.js';
import { RunTarget, siblingName } from '../../../../src/integrations/dbt/native/run-target.js';

const node = (name: string, config: Record<string, unknown> = {}): DbtNode => ({
  uniqueId: `model.shop.${name}`,
  resourceType: 'model',
  name,
  packageName: 'shop',
  originalFilePath: `models/${name}.sql`,
  fqn: ['shop', name],
  materialized: 'view',
  dependsOn: [],
  tags: [],
  group: undefined,
  description: undefined,
  schema: undefined,
  rawCode: 'select 1',
  config,
});

const source = (schema: string | undefined): DbtSource => ({ uniqueId: 'source.shop.raw.events', sourceName: 'raw', name: 'events', schema, identifier: 'ev"ents' });

const project = (sources: DbtSource[], vars: Record<string, unknown> = {}): DbtProject => ({
  name: 'shop',
  dir: '/nowhere',
  nodes: new Map([['model.shop.orders', node('orders', { schema: 'marts' })], ['model.shop.plain', node('plain')]]),
  sources: new Map(sources.map((s) => [s.uniqueId, s])),
  tests: new Map(),
  vars,
});

describe('RunTarget', () => {
  it('builds into the target schema, or <target>_<custom> with a custom schema', () => {
    const target = new RunTarget(project([]), { schema: 'dev' });
    expect(target.relationOf(target.project.nodes.get('model.shop.plain')!).render()).toBe('"dev"."plain"');
    expect(target.relationOf(target.project.nodes.get('model.shop.orders')!).render()).toBe('"dev_marts"."orders"');
  });

  it("renders a source's schema template and quotes its identifier", () => {
    const where = { file: 'x' };
    const templated = new RunTarget(project([source("{{ var('raw_schema', 'landing') }}")], { raw_schema: 'from_project' }), { schema: 'dev' });
    expect(templated.sourceRelation(templated.resolveSource('raw', 'events', where)).render()).toBe('"from_project"."ev""ents"');
    const byTarget = new RunTarget(project([source('{{ target.schema }}')]), { schema: 'dev_2' });
    expect(byTarget.sourceRelation(byTarget.resolveSource('raw', 'events', where)).render()).toBe('"dev_2"."ev""ents"');
    const defaulted = new RunTarget(project([source(undefined)]), { schema: 'dev' });
    expect(defaulted.sourceRelation(defaulted.resolveSource('raw', 'events', where)).render()).toBe('"raw"."ev""ents"');
    expect(() => templated.resolveSource('raw', 'event', where)).toThrow(/source\('raw', 'event'\) is not declared in the project \(did you mean "raw\.events"\?\)/);
  });

  it('reads a mapping var as a mapping, names an undefined one, and suggests a model for an unknown ref', () => {
    const target = new RunTarget(project([], { cfg: { a: 1 } }), { schema: 'dev' });
    expect(target.var('cfg', undefined, { file: 'm.sql', line: 2 })).toEqual({ a: 1 });
    expect(() => target.var('nope', undefined, { file: 'm.sql', line: 2 })).toThrow(/^m\.sql:2: var\('nope'\) is not defined/);
    expect(() => target.resolveRef('order', undefined, { file: 'm.sql', line: 1 })).toThrow(/did you mean "orders"\?/);
  });
});

describe('siblingName', () => {
  it('appends the suffix, hashing long names to stay within 63 bytes without colliding', () => {
    expect(siblingName('orders', '__dbt_tmp')).toBe('orders__dbt_tmp');
    const a = siblingName(`${'x'.repeat(58)}_a`, '__dbt_tmp');
    const b = siblingName(`${'x'.repeat(58)}_b`, '__dbt_tmp');
    expect(Buffer.byteLength(a)).toBeLessThanOrEqual(63);
    expect(a.endsWith('__dbt_tmp')).toBe(true);
    expect(a).not.toBe(b);
    expect(Buffer.byteLength(siblingName('é'.repeat(31), '__dbt_tmp'))).toBeLessThanOrEqual(63);
  });
});

describe('genericTestName', () => {
  it('follows dbt: sorted arguments, flattened, cleaned, joined with __; source_ prefix; namespaces dropped', () => {
    expect(genericTestName('accepted_values', { kind: 'model', name: 'orders' }, { values: ['placed', 'return pending'], column_name: 'status' })).toBe(
      'accepted_values_orders_status__placed__return_pending',
    );
    expect(genericTestName('not_null', { kind: 'source', sourceName: 'raw', name: 'events' }, { column_name: 'id' })).toBe('source_not_null_raw_events_id');
    expect(genericTestName('dbt_utils.at_least_one', { kind: 'model', name: 'm' }, { column_name: 'x', quote: true })).toBe('at_least_one_m_x__True');
  });
});
