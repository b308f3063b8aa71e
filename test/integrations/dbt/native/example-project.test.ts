import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dayReadings, type RawReading } from '../../../../assets/lib/day-readings.js';
import { createRawEntriesSql, insertEntries } from '../../../../assets/lib/insert-entries.js';
import type { DbtNodeResult } from '../../../../src/integrations/dbt/dbt-project.js';
import { loadDbtProjectFromFiles } from '../../../../src/integrations/dbt/native/load-project-files.js';
import { openPgliteWarehouse } from '../../../../src/integrations/postgres/open-pglite-warehouse.js';
import { pgWarehouse } from '../../../../src/integrations/postgres/pg-warehouse.js';
import { qualified, quoteIdent } from '../../../../src/integrations/postgres/quote-ident.js';
import type { Warehouse } from '../../../../src/integrations/postgres/warehouse.js';
import { dropSchemas, freshSchema, TEST_DATABASE_URL } from '../../postgres/backends.js';
import { runNative } from './temp-project.js';


const EXAMPLE = resolve(import.meta.dirname, '../../../../dbt');

interface Day {
  day: string;
  readings: number;
  mean_sgv: number;
  time_in_range: number;
  min_sgv: number;
  max_sgv: number;
}

/** daily_glucose computed in JavaScript: valid sgv (20..600), each timestamp once (first row), per UTC day. */
function expectedDays(entries: readonly RawReading[]): Day[] {
  const seen = new Set<number>();
  const byDay = new Map<string, number[]>();
  for (const entry of entries) {
    if (entry.sgv === null || entry.sgv < 20 || entry.sgv > 600 || seen.has(entry.date)) continue;
    seen.add(entry.date);
    const day = new Date(entry.date).toISOString().slice(0, 10);
    byDay.set(day, [...(byDay.get(day) ?? []), entry.sgv]);
  }
  const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;
  return [...byDay].map(([day, sgvs]) => ({
    day,
    readings: sgvs.length,
    mean_sgv: round(sgvs.reduce((a, b) => a + b, 0) / sgvs.length, 1),
    time_in_range: round(sgvs.filter((s) => s >= 70 && s <= 180).length / sgvs.length, 4),
    min_sgv: Math.min(...sgvs),
    max_sgv: Math.max(...sgvs),
  }));
}

const statusCounts = (results: Map<string, DbtNodeResult>) => {
  const counts: Record<string, number> = {};
  for (const result of results.values()) counts[result.status] = (counts[result.status] ?? 0) + 1;
  return counts;
};

const cases = [
  // PGlite with the runner's default target schema, `dev`.
  { name: 'pglite (schema dev)', open: () => openPgliteWarehouse(), schema: undefined as string | undefined },
  { name: 'postgres (fresh schema)', open: async () => pgWarehouse({ connectionString: TEST_DATABASE_URL }), schema: freshSchema('glucose') },
];

describe.each(cases)('the example dbt project on $name', ({ open, schema }) => {
  let warehouse: Warehouse;
  const target = schema ?? 'dev';
  const project = loadDbtProjectFromFiles(EXAMPLE);
  const count = async (table: string) =>
    (await warehouse.query<{ n: number }>(`select count(*)::int as n from ${qualified(target, table)}`)).rows[0]!.n;
  /** Replaces raw_entries with `entries`, in the shape the example's ingest writes. */
  const ingest = async (entries: readonly RawReading[]) => {
    await warehouse.transaction(async (tx) => {
      await tx.query(`drop table if exists ${qualified(target, 'raw_entries')}`);
      await tx.query(createRawEntriesSql(target, 'raw_entries'));
      await insertEntries(tx, target, 'raw_entries', entries);
    });
  };
  const run = () => runNative(warehouse, EXAMPLE, { project, ...(schema === undefined ? {} : { schema }) });
  const days = async () => (await warehouse.query<Day>(`select * from ${qualified(target, 'daily_glucose')} order by day`)).rows;

  beforeAll(async () => {
    warehouse = await open();
    await warehouse.query(`create schema if not exists ${quoteIdent(target)}`);
  });

  afterAll(async () => {
    if (schema !== undefined) await dropSchemas(warehouse, [schema]);
    await warehouse.close();
  });

  it('builds staging, warehouse and marts from clean entries, and every test passes', async () => {
    const entries = ['2024-10-13', '2024-10-14', '2024-10-15'].flatMap((day) => dayReadings(day, { lateShare: 0.05 }));
    await ingest(entries);
    const results = await run();
    expect(statusCounts(results)).toEqual({ success: 4, pass: 20 });
    expect(results.get('model.glucose.fct_readings')).toMatchObject({ rowsAffected: 864, metadata: { incremental: false } });
    expect(results.get('model.glucose.daily_glucose')).toMatchObject({ rowsAffected: 3, metadata: { materialized: 'table', relation: `${target}.daily_glucose` } });
    expect(await count('stg_entries')).toBe(864);
    expect(await count('fct_readings')).toBe(864);
    const built = await days();
    expect(built).toEqual(expectedDays(entries));
    expect(built.map((d) => d.readings)).toEqual([288, 288, 288]);
    // The ephemeral model is never built.
    const { rows } = await warehouse.query<{ relname: string; relkind: string }>(
      `select c.relname, c.relkind::text as relkind from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = $1 and c.relkind in ('r', 'v') order by 1`,
      [target],
    );
    expect(rows).toEqual([
      { relname: 'daily_glucose', relkind: 'r' },
      { relname: 'fct_readings', relkind: 'r' },
      { relname: 'raw_entries', relkind: 'r' },
      { relname: 'stg_entries', relkind: 'r' },
    ]);
  });

  it('replaces the ingested days incrementally, keeping earlier days, and warns about null readings', async () => {
    // Two days, one overlapping the first ingest, with 10% bad rows.
    const entries = ['2024-10-15', '2024-10-16'].flatMap((day) => dayReadings(day, { badRowShare: 0.1 }));
    await ingest(entries);
    const results = await run();
    const nulls = entries.filter((e) => e.sgv === null).length;
    expect(nulls).toBeGreaterThan(0);
    expect(results.get('test.glucose.source_not_null_raw_entries_sgv')).toMatchObject({ status: 'warn', failures: nulls });
    expect(statusCounts(results)).toEqual({ success: 4, pass: 19, warn: 1 });
    const fresh = expectedDays(entries);
    expect(results.get('model.glucose.fct_readings')!.metadata).toMatchObject({
      incremental: true,
      rows_inserted: fresh.reduce((n, d) => n + d.readings, 0),
      rows_deleted: 288,
    });
    const built = await days();
    expect(built.map((d) => d.day)).toEqual(['2024-10-13', '2024-10-14', '2024-10-15', '2024-10-16']);
    expect(built.slice(2)).toEqual(fresh);
    expect(built[0]!.readings).toBe(288);
  });
});
