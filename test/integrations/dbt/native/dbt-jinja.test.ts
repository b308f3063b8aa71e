import { describe, expect, it } from 'vitest';
import { dbtContext, type DbtContextSpec } from '../../../../src/integrations/dbt/native/dbt-context.js';
import { DbtJinja } from '../../../../src/integrations/dbt/native/dbt-jinja.js';
import { DbtRelation } from '../../../../src/integrations/dbt/native/dbt-relation.js';

const MACROS = [
  {
    file: 'macros/util.sql',
    sql: `{% macro cols(names) -%}
  {%- set out = [] -%}
  {%- for n in names -%}{%- do out.append(n | upper) -%}{%- endfor -%}
  {{ return(out) }}
{%- endmacro %}
{% macro twice(x) %}{{ return(x * 2) }}{% endmacro %}
{% macro wrap() %}[{{ caller() }}]{% endmacro %}
{% macro uses_other() %}{{ twice(21) }}{% endmacro %}
{% macro postgres__quote_it(x) %}"{{ x }}"{% endmacro %}
{% macro fails() %}{{ exceptions.raise_compiler_error('no way') }}{% endmacro %}`,
  },
  { file: 'macros/more.sql', sql: '{% macro from_other_file() %}{{ cols(["a"]) | join(",") }}{% endmacro %}' },
];

const spec = (overrides: Partial<DbtContextSpec> = {}): DbtContextSpec => ({
  file: 'models/m.sql',
  execute: true,
  target: { name: 'dev', schema: 'dev', type: 'postgres' },
  var: (name, fallback) => (name === 'limit' ? 42 : name === 'flag' ? true : name === 'list' ? ['a', 'b'] : fallback ? fallback.value : undefined),
  ref: (name) => new DbtRelation('dev', name),
  source: (s, t) => new DbtRelation(`raw_${s}`, t),
  config: {},
  isIncremental: false,
  this: new DbtRelation('dev', 'me'),
  ...overrides,
});

describe('dbt Jinja on nunjucks', () => {
  const jinja = new DbtJinja(MACROS, ['dbt_utils']);
  const render = (sql: string, overrides: Partial<DbtContextSpec> = {}) => jinja.render(sql, 'models/m.sql', dbtContext(jinja, spec(overrides)));
  const failure = (sql: string, overrides: Partial<DbtContextSpec> = {}) => {
    try {
      render(sql, overrides);
    } catch (error) {
      return error as { code: string; message: string };
    }
    throw new Error(`expected ${sql} to fail`);
  };

  it('renders ref, source, this, target, var and is_incremental as dbt does', () => {
    expect(render("select * from {{ ref('a') }} join {{ source('s', 't') }} using (id) -- {{ this }} {{ this.name }} {{ target.schema }}")).toBe(
      'select * from "dev"."a" join "raw_s"."t" using (id) -- "dev"."me" me dev',
    );
    expect(render("{{ var('limit') }} {{ var('flag') }} {{ var('list') }} {{ var('other', 'fallback') }} {{ is_incremental() }}")).toBe("42 True ['a', 'b'] fallback False");
    expect(render('{% if is_incremental() %}inc{% else %}full{% endif %}', { isIncremental: true })).toBe('inc');
  });

  it('runs set, set blocks, for loops with loop variables, if/elif, filters and whitespace control', () => {
    expect(render("{%- set xs = ['a', 'b', 'c'] -%}{% for x in xs %}{{ x }}{{ ',' if not loop.last }}{% endfor %}")).toBe('a,b,c');
    expect(render('{% set block %}\n  hello {{ 1 + 1 }}\n{% endset %}[{{ block | trim }}]')).toBe('[hello 2]');
    expect(render("{% if var('limit') > 50 %}big{% elif var('limit') > 40 %}mid{% else %}small{% endif %}")).toBe('mid');
    expect(render("{{ ' Ab ' | trim | lower }} {{ ['b', 'a'] | sort | join('-') }} {{ none is none }} {{ 'x' ~ 1 }}")).toBe('ab a-b True x1');
    expect(render('a  {%- if true -%}  b  {%- endif -%}  c')).toBe('abc');
    expect(render("{{ 'a,b'.split(',') | length }} {{ 'Ab'.upper() }} {{ ' x '.strip() }} {{ 'abc'[1:] }} {{ '{}-{}'.format(1, 2) }} {{ [{'a': 1}] | map(attribute='a') | list }}")).toBe(
      '2 AB x bc 1-2 [1]',
    );
  });

  it("calls the project's macros: return() values, do/append, call blocks, macros of other files, adapter.dispatch", () => {
    expect(render("{{ cols(['x', 'y']) | join('|') }}")).toBe('X|Y');
    expect(render('{% set n = twice(4) %}{{ n + 1 }}')).toBe('9');
    expect(render('{% call wrap() %}inside{% endcall %}')).toBe('[inside]');
    expect(render('{{ uses_other() }} {{ from_other_file() }}')).toBe('42 A');
    expect(render("{{ adapter.dispatch('quote_it')('q') }} {{ adapter.quote('we\"ird') }}")).toBe('"q" "we""ird"');
  });

  it('collects config() calls (kwargs or a dict), and config.get reads them while executing', () => {
    const config: Record<string, unknown> = {};
    expect(render("{{ config(materialized='table', tags=['a']) }}{{ config({'unique_key': 'id'}) }}{{ config.get('materialized') }}|{{ config.get('nope', 'dflt') }}", { config })).toBe('table|dflt');
    expect(config).toEqual({ materialized: 'table', tags: ['a'], unique_key: 'id' });
  });

  it('reads env_var with a default, refuses a missing one and secrets, and logs', () => {
    process.env.SLUICE_JINJA_TEST_VALUE = 'from-env';
    const logged: string[] = [];
    expect(render("{{ env_var('SLUICE_JINJA_TEST_VALUE') }} {{ env_var('SLUICE_JINJA_TEST_UNSET', 'dflt') }}{{ log('hello', info=true) }}{{ log('quiet') }}", { log: (m, info) => logged.push(`${m}:${info}`) })).toBe('from-env dflt');
    expect(logged).toEqual(['hello:true', 'quiet:false']);
    expect(failure("\n{{ env_var('SLUICE_JINJA_TEST_UNSET') }}")).toMatchObject({ code: 'DBT_UNKNOWN_REF', message: expect.stringMatching(/^models\/m\.sql:2: env_var\('SLUICE_JINJA_TEST_UNSET'\) is not set/) });
    expect(failure("{{ env_var('DBT_ENV_SECRET_TOKEN', 'x') }}").message).toMatch(/secret env vars \(DBT_ENV_SECRET\*\) are allowed only in profiles\.yml/);
  });

  it('names the file, line and macro of an error, and sends package macros to the dbt CLI runner', () => {
    expect(failure('select 1\n{{ fails() }}')).toMatchObject({ code: 'DBT_COMPILATION_ERROR', message: 'models/m.sql:2: in macro fails (macros/util.sql): no way' });
    expect(failure("select\n\n{{ dbt_utils.star(ref('a')) }}").message).toMatch(/^models\/m\.sql:3: dbt_utils\.star\(\) is not defined: .*run the project with the dbt CLI runner \(dbtCliRunner\)$/);
    expect(failure('{{ nowhere() }}')).toMatchObject({ code: 'DBT_UNSUPPORTED', message: expect.stringMatching(/^models\/m\.sql:1: nowhere\(\) is not defined/) });
    expect(failure('select 1\n{% for x in %}')).toMatchObject({ code: 'DBT_UNSUPPORTED', message: expect.stringMatching(/^models\/m\.sql:2: Jinja the native runner cannot read/) });
    expect(failure("{{ run_query('select 1') }}").message).toMatch(/run_query\(\) queries the database while compiling/);
    // While parsing (execute false), dbt's database functions return None, as dbt's do.
    expect(render("{% if execute %}{{ run_query('select 1') }}{% else %}parsing{% endif %}{{ run_query('x') is none }}", { execute: false })).toBe('parsingTrue');
  });
});
