import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AssetGraph } from '../../../../src/core/graph/asset-graph.js';
import { defineAsset } from '../../../../src/core/asset/define-asset.js';
import { defineResource } from '../../../../src/core/asset/resource.js';
import { acceptedValues } from '../../../../src/integrations/postgres/checks/accepted-values.js';
import { expression } from '../../../../src/integrations/postgres/checks/expression.js';
import { freshness } from '../../../../src/integrations/postgres/checks/freshness.js';
import { notNull } from '../../../../src/integrations/postgres/checks/not-null.js';
import { relationships } from '../../../../src/integrations/postgres/checks/relationships.js';
import { rowCount } from '../../../../src/integrations/postgres/checks/row-count.js';
import { runSqlTest } from '../../../../src/integrations/postgres/checks/run-sql-test.js';
import { sqlCheck } from '../../../../src/integrations/postgres/checks/sql-check.js';
import type { CheckedTable } from '../../../../src/integrations/postgres/checks/sql-test.js';
import { unique } from '../../../../src/integrations/postgres/checks/unique.js';
import { qualified, quoteIdent } from '../../../../src/integrations/postgres/quote-ident.js';
import type { Warehouse } from '../../../../src/integrations/postgres/warehouse.js';
import { backends, dropSchemas, freshSchema } from '../backends.js';

// Opening PGlite takes seconds, more when test files run in parallel.

describe.each(backends)('SQL check helpers on $name', ({ open }) => {
  let warehouse: Warehouse;
  // A schema and table whose names need quoting: spaces, a double quote, upper case, a semicolon.
  const schema = `${freshSchema('chk')} "Q"`;
  const readings: CheckedTable = { schema, name: 'Readings; x' };
  const devices: CheckedTable = { schema, name: 'devices' };
  const victims: CheckedTable = { schema, name: 'victims' };
  const t = (table: CheckedTable) => qualified(table.schema, table.name);

  beforeAll(async () => {
    warehouse = await open();
    await warehouse.query(`create schema ${quoteIdent(schema)}`);
    await warehouse.query(`create table ${t(devices)} (id text primary key)`);
    await warehouse.query(`insert into ${t(devices)} values ('cgm-1'), ('cgm-2')`);
    await warehouse.query(`create table ${t(victims)} (id int)`);
    await warehouse.query(`create sequence ${t({ schema, name: 'ids' })}`);
    await warehouse.query(`insert into ${t(victims)} values (1)`);
    await warehouse.query(
      `create table ${t(readings)} (id int, "Sgv Value" int, "dir""ection" text, device text, taken_at timestamptz, taken_ms bigint, taken_day date)`,
    );
    // Row 3 repeats id 2, row 4 has a null sgv and a bad direction, row 5 an unknown device.
    await warehouse.query(
      `insert into ${t(readings)} values
        (1, 100, 'Flat', 'cgm-1', '2024-10-15T10:00:00Z', 1728986400000, '2024-10-15'),
        (2, 120, 'SingleUp', 'cgm-1', '2024-10-15T10:05:00Z', 1728986700000, '2024-10-15'),
        (2, 130, 'Flat', 'cgm-2', '2024-10-15T10:10:00Z', 1728987000000, '2024-10-15'),
        (4, null, 'Sideways', 'cgm-2', '2024-10-15T10:15:00Z', 1728987300000, '2024-10-15'),
        (5, 700, null, 'cgm-9', '2024-10-15T10:20:00Z', 1728987600000, '2024-10-15')`,
    );
  });

  afterAll(async () => {
    await dropSchemas(warehouse, [schema]);
    await warehouse.close();
  });

  it('notNull counts rows with a null in any column and samples them', async () => {
    const result = await runSqlTest(warehouse, readings, notNull(['Sgv Value', 'dir"ection']));
    expect(result.passed).toBe(false);
    expect(result.metadata).toMatchObject({ failing_rows: 2, null_counts: { json: { 'Sgv Value': 1, 'dir"ection': 1 } } });
    const sample = (result.metadata!.sample as { json: Array<Record<string, unknown>> }).json;
    expect(sample.map((row) => row.id).sort()).toEqual([4, 5]);
    expect(result.description).toContain('2 row(s)');
    expect(await runSqlTest(warehouse, readings, notNull(['id']))).toMatchObject({ passed: true, metadata: { failing_rows: 0, sample: { json: [] } } });
  });

  it('unique counts every row sharing a key and samples the keys with their occurrences', async () => {
    const result = await runSqlTest(warehouse, readings, unique(['id']));
    expect(result).toMatchObject({ passed: false, metadata: { failing_rows: 2, duplicate_keys: 1, sample: { json: [{ id: 2, occurrences: 2 }] } } });
    expect((await runSqlTest(warehouse, readings, unique(['id', 'Sgv Value']))).passed).toBe(true);
  });

  it('acceptedValues binds values as parameters, lets nulls pass, and compares in the column type', async () => {
    const result = await runSqlTest(warehouse, readings, acceptedValues('dir"ection', ['Flat', 'SingleUp']));
    expect(result).toMatchObject({ passed: false, metadata: { failing_rows: 1 } });
    expect((result.metadata!.sample as { json: unknown[] }).json).toEqual([
      expect.objectContaining({ id: 4, 'dir"ection': 'Sideways' }),
    ]);
    expect((await runSqlTest(warehouse, readings, acceptedValues('id', [1, 2, 4, 5]))).passed).toBe(true);
  });

  it('rowCount compares the count with min and max', async () => {
    expect(await runSqlTest(warehouse, readings, rowCount({ min: 1, max: 5 }))).toMatchObject({ passed: true, metadata: { row_count: 5 } });
    expect(await runSqlTest(warehouse, readings, rowCount({ min: 6 }))).toMatchObject({ passed: false, metadata: { row_count: 5, min: 6, max: null } });
    expect((await runSqlTest(warehouse, readings, rowCount({ max: 4 }))).passed).toBe(false);
  });

  it('freshness measures the newest timestamptz, epoch-ms and date value against now', async () => {
    const now = new Date('2024-10-15T12:20:00Z');
    const tz = await runSqlTest(warehouse, readings, freshness('taken_at', 3, { now }));
    expect(tz).toMatchObject({ passed: true, metadata: { latest: '2024-10-15T10:20:00.000Z', age_hours: 2, max_age_hours: 3 } });
    expect((await runSqlTest(warehouse, readings, freshness('taken_at', 1, { now }))).passed).toBe(false);
    expect(await runSqlTest(warehouse, readings, freshness('taken_ms', 3, { now }))).toMatchObject({ passed: true, metadata: { age_hours: 2 } });
    expect(await runSqlTest(warehouse, readings, freshness('taken_day', 12, { now }))).toMatchObject({ passed: false, metadata: { age_hours: 12.33 } });
    // Without `now`, the database clock: 2024 is long ago.
    expect((await runSqlTest(warehouse, readings, freshness('taken_at', 24))).passed).toBe(false);
    await expect(runSqlTest(warehouse, readings, freshness('device', 1))).rejects.toMatchObject({ code: 'UNSUPPORTED_COLUMN' });
  });

  it('relationships finds values missing from the referenced table, in the same or another schema', async () => {
    const same = await runSqlTest(warehouse, readings, relationships('device', 'devices', 'id'));
    expect(same).toMatchObject({ passed: false, metadata: { failing_rows: 1 } });
    expect((same.metadata!.sample as { json: unknown[] }).json).toEqual([expect.objectContaining({ id: 5, device: 'cgm-9' })]);
    expect((await runSqlTest(warehouse, readings, relationships('device', devices, 'id'))).metadata).toMatchObject({ failing_rows: 1 });
  });

  it('expression fails rows where the condition is false or null', async () => {
    const result = await runSqlTest(warehouse, readings, expression('"Sgv Value" between 20 and 600'));
    expect(result.metadata).toMatchObject({ failing_rows: 2 });
    expect((await runSqlTest(warehouse, readings, expression('id > 0'))).passed).toBe(true);
  });

  it('keeps injection attempts in identifiers, values and expressions from touching other tables', async () => {
    // An identifier is quoted, so this names a (missing) column instead of ending the statement.
    await expect(runSqlTest(warehouse, readings, notNull([`id" is null; drop table ${t(victims)}; --`]))).rejects.toMatchObject({ code: '42703' });
    // A value is a bind parameter: compared, never executed.
    const values = await runSqlTest(warehouse, readings, acceptedValues('device', [`cgm-1'); drop table ${t(victims)}; --`]));
    expect(values.metadata).toMatchObject({ failing_rows: 5 });
    // An expression is one statement in a read-only transaction: a second statement is refused...
    await expect(runSqlTest(warehouse, readings, expression(`true) is not true; drop table ${t(victims)}; select (true`))).rejects.toThrow(
      /syntax error|multiple commands/,
    );
    // ...and a write smuggled into the one statement fails: the transaction is read-only.
    await expect(runSqlTest(warehouse, readings, expression(`nextval('${t({ schema, name: 'ids' }).replaceAll("'", "''")}') > 0`))).rejects.toThrow(
      /read-only transaction/,
    );
    expect((await warehouse.query<{ v: boolean }>(`select is_called as v from ${t({ schema, name: 'ids' })}`)).rows).toEqual([{ v: false }]);
    const { rows } = await warehouse.query<{ n: number }>(`select count(*)::int as n from ${t(victims)}`);
    expect(rows[0]!.n).toBe(1);
  });

  it('names a missing table with suggestions instead of a raw SQL error', async () => {
    await expect(runSqlTest(warehouse, { schema, name: 'device' }, rowCount({ min: 1 }))).rejects.toMatchObject({
      code: 'UNKNOWN_TABLE',
      message: expect.stringContaining('did you mean "devices"'),
    });
  });

  it('sqlCheck builds a frozen asset check whose check runs the test on the warehouse resource', async () => {
    const asset = defineAsset({ key: 'raw/readings', materialize: () => ({}) });
    const resource = defineResource<Warehouse>({ name: 'warehouse', create: () => warehouse });
    const check = sqlCheck({ asset, name: 'sgv_present', table: readings, test: notNull(['Sgv Value']), blocking: true, warehouse: resource });
    expect(check).toMatchObject({ kind: 'check', asset: 'raw/readings', name: 'sgv_present', severity: 'ERROR', blocking: true });
    expect(check.description).toBe(`${schema}.Readings; x: Sgv Value is never null`);
    expect(Object.isFrozen(check)).toBe(true);
    expect(AssetGraph.build([{ definition: asset }], [{ definition: check }]).checksOf('raw/readings')).toEqual([check]);
    const noop = () => {};
    const log = { trace: noop, debug: noop, info: noop, warn: noop, error: noop, fatal: noop, child: () => log };
    const ctx = { assetKey: 'raw/readings', checkName: 'sgv_present', log, run: { id: 'r', tags: { t: 'devices' } }, resources: { warehouse }, signal: new AbortController().signal, attempt: 1, partitionKey: undefined, partitionTimeWindow: undefined, partitionKeyRange: undefined };
    expect(await check.check(ctx)).toMatchObject({ passed: false, metadata: { failing_rows: 1 } });
    const dynamic = sqlCheck({ asset, name: 'by_tag', table: (c) => ({ schema, name: c.run.tags.t! }), test: rowCount({ min: 2, max: 2 }), warehouse: resource });
    expect(await dynamic.check(ctx)).toMatchObject({ passed: true, metadata: { row_count: 2 } });
  });

  it('rejects bad helper arguments when the definition is made', () => {
    expect(() => notNull([])).toThrow(/at least one column/);
    expect(() => acceptedValues('x', [])).toThrow(/non-empty list/);
    expect(() => rowCount({ min: 5, max: 1 })).toThrow(/min <= max/);
    expect(() => freshness('x', 0)).toThrow(/maxAgeHours/);
    expect(() => unique(['a'.repeat(64)])).toThrow(/63/);
    expect(() => expression(' ')).toThrow(/boolean SQL condition/);
  });
});
