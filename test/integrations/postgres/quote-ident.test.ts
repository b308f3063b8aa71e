import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { qualified, quoteIdent } from '../../../src/integrations/postgres/quote-ident.js';
import type { Warehouse } from '../../../src/integrations/postgres/warehouse.js';
import { backends, dropSchemas, freshSchema } from './backends.js';

// Opening PGlite takes seconds, more when test files run in parallel.

const NASTY = [
  'plain',
  'MixedCase',
  'with space',
  'double"quote',
  '""',
  `Robert'); drop table students;--`,
  'select',
  'Straße_ünïcödé',
  'emoji_🦆',
  'semi;colon',
  'back\\slash',
  '$1',
];

describe('quoteIdent', () => {
  it('double-quotes a name and doubles embedded quotes', () => {
    expect(quoteIdent('orders')).toBe('"orders"');
    expect(quoteIdent('a"b')).toBe('"a""b"');
    expect(quoteIdent('""')).toBe('""""""');
  });

  it('rejects an empty name, a NUL character and names longer than 63 bytes', () => {
    expect(() => quoteIdent('')).toThrow(expect.objectContaining({ code: 'INVALID_IDENTIFIER' }));
    expect(() => quoteIdent('a\0b')).toThrow(/NUL/);
    expect(() => quoteIdent('x'.repeat(64))).toThrow(/64 bytes long, Postgres allows 63/);
    // 32 two-byte characters: 32 characters but 64 bytes
    expect(() => quoteIdent('é'.repeat(32))).toThrow(expect.objectContaining({ code: 'INVALID_IDENTIFIER' }));
    expect(quoteIdent('x'.repeat(63))).toBe(`"${'x'.repeat(63)}"`);
  });

  it('qualifies a table with its schema', () => {
    expect(qualified('my schema', 'a"b')).toBe('"my schema"."a""b"');
  });
});

describe.each(backends)('quoteIdent on $name', ({ open }) => {
  let warehouse: Warehouse;
  const schemaSuffix = 'nasty "schema"';
  let schema: string;

  beforeAll(async () => {
    warehouse = await open();
    schema = freshSchema(schemaSuffix);
    await warehouse.query(`create schema ${quoteIdent(schema)}`);
  });

  afterAll(async () => {
    await dropSchemas(warehouse, [schema]);
    await warehouse.close();
  });

  it.each(NASTY)('round-trips the table and column name %j exactly', async (name) => {
    const table = qualified(schema, name);
    await warehouse.query(`create table ${table} (${quoteIdent(name)} text)`);
    await warehouse.query(`insert into ${table} (${quoteIdent(name)}) values ($1)`, [name]);
    const { rows } = await warehouse.query<Record<string, string>>(`select ${quoteIdent(name)} from ${table}`);
    expect(rows).toEqual([{ [name]: name }]);
    const catalog = await warehouse.query<{ tablename: string }>(
      'select tablename from pg_tables where schemaname = $1 and tablename = $2',
      [schema, name],
    );
    expect(catalog.rows).toEqual([{ tablename: name }]);
  });

  it('leaves other tables alone when a name looks like an injection', async () => {
    await warehouse.query(`create table ${qualified(schema, 'students')} (id int)`);
    const evil = `x"; drop table ${quoteIdent(schema)}."students"; --`;
    await warehouse.query(`create table ${qualified(schema, evil)} (id int)`);
    const { rows } = await warehouse.query<{ n: number }>(
      'select count(*)::int as n from pg_tables where schemaname = $1 and tablename in ($2, $3)',
      [schema, 'students', evil],
    );
    expect(rows[0]!.n).toBe(2);
  });
});
