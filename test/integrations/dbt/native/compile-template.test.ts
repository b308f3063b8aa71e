import { describe, expect, it } from 'vitest';
import { compileTemplate, type CompileEnv } from '../../../../src/integrations/dbt/native/compile-template.js';
import { injectCtes } from '../../../../src/integrations/dbt/native/inject-ctes.js';

const env = (overrides: Partial<CompileEnv> = {}): CompileEnv => ({
  ref: (name, pkg) => `"dev"."${pkg ? `${pkg}.` : ''}${name}"`,
  source: (s, t) => `"raw_${s}"."${t}"`,
  var: (name, fallback) => (name === 'limit' ? 42 : name === 'flag' ? true : fallback ? fallback.value : 'unset'),
  this: '"dev"."me"',
  targetSchema: 'dev',
  isIncremental: false,
  ...overrides,
});

const compile = (sql: string, overrides: Partial<CompileEnv> = {}) => compileTemplate(sql, 'models/m.sql', env(overrides));

/** The error compiling `sql` throws. */
function failure(sql: string): { code: string; message: string; data: Record<string, unknown> } {
  try {
    compile(sql);
  } catch (error) {
    return error as { code: string; message: string; data: Record<string, unknown> };
  }
  throw new Error(`expected ${JSON.stringify(sql)} not to compile`);
}

describe('compileTemplate: the supported subset', () => {
  it('renders ref() (one and two arguments), source(), this and target.schema', () => {
    expect(compile("select * from {{ ref('a') }} join {{ ref(\"pkg\", 'b') }} using (id) join {{ source('s', 't') }} using (id)").sql).toBe(
      'select * from "dev"."a" join "dev"."pkg.b" using (id) join "raw_s"."t" using (id)',
    );
    expect(compile('select * from {{this}} where s = \'{{ target.schema }}\'').sql).toBe('select * from "dev"."me" where s = \'dev\'');
  });

  it('collects config() keyword arguments and renders nothing in their place', () => {
    const result = compile("{{ config(materialized='incremental', unique_key=['a', 'b'], tags=[\"x\"], enabled=true, n=-2.5) }}\nselect 1");
    expect(result.sql).toBe('\nselect 1');
    expect(result.config).toEqual({ materialized: 'incremental', unique_key: ['a', 'b'], tags: ['x'], enabled: true, n: -2.5 });
  });

  it('renders var() values as Jinja prints them, with the default when unset', () => {
    expect(compile("{{ var('limit') }} {{ var('flag') }} {{ var('other', 'fallback') }} {{ var('n', none) }}").sql).toBe('42 True fallback None');
  });

  it('keeps the is_incremental() branch that applies, with else and not', () => {
    const sql = "select 1{% if is_incremental() %} where a{% else %} where b{% endif %}{% if not is_incremental() %} -- full{% endif %}";
    expect(compile(sql).sql).toBe('select 1 where b -- full');
    expect(compile(sql, { isIncremental: true }).sql).toBe('select 1 where a');
    expect(compile('{{ is_incremental() }}', { isIncremental: true }).sql).toBe('True');
  });

  it('applies whitespace control, drops comments and respects quotes inside tags', () => {
    expect(compile("select\n  {{- var('x', ' x') -}}  \n 1 {# a {{ ref('nothing') }} comment #}{{ var('}}') }}").sql).toBe("select x1 unset");
  });

  it('checks expressions in the inactive branch too, but applies config() only where active', () => {
    const refs: string[] = [];
    const result = compile("{% if is_incremental() %}{{ config(materialized='table') }}{{ ref('x') }}{% endif %}select 1", {
      ref: (name) => (refs.push(name), name),
    });
    expect(result).toEqual({ sql: 'select 1', config: {} });
    expect(refs).toEqual(['x']);
    expect(failure("{% if is_incremental() %}{{ x | upper }}{% endif %}").code).toBe('DBT_UNSUPPORTED');
  });
});

describe('compileTemplate: everything else is an error naming the file, line and construct', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['a for loop', "select 1\n{% for x in [1, 2] %}{{ x }}{% endfor %}", /^models\/m\.sql:2: unsupported Jinja tag "\{% for x in \[1, 2\] %\}"/],
    ['a set tag', "\n\n{% set cols = ['a'] %}", /^models\/m\.sql:3: unsupported Jinja tag "\{% set cols/],
    ['a macro definition', '{% macro m() %}1{% endmacro %}', /:1: unsupported Jinja tag "\{% macro m\(\) %\}"/],
    ['a raw block', '{% raw %}x{% endraw %}', /unsupported Jinja tag "\{% raw %\}"/],
    ['elif', '{% if is_incremental() %}a{% elif is_incremental() %}b{% endif %}', /unsupported Jinja tag "\{% elif/],
    ['a filter', "select {{ var('x') | upper }}", /^models\/m\.sql:1: unsupported Jinja filter "\|"/],
    ['an operator', "select {{ var('a') ~ 'b' }}", /unsupported Jinja operator "~"/],
    ['a comparison', "{{ var('a') == 1 }}", /unsupported Jinja operator "=="/],
    ['a macro call', "select {{ dbt_utils.star(ref('a')) }}", /unsupported Jinja argument "ref\(\.\.\.\)"/],
    ['an unknown function', '\nselect {{ current_timestamp() }}', /^models\/m\.sql:2: unsupported function "current_timestamp\(\)"/],
    ['a dotted call', "{{ adapter.dispatch('x')() }}", /unsupported Jinja call of a call result/],
    ['an unknown name', '{{ target.name }}', /unsupported name "target\.name"/],
    ['a variable argument', "{{ ref(model_name) }}", /unsupported Jinja argument "model_name" \(arguments must be literals\)/],
    ['a subscript', "{{ var('x')[0] }}", /unsupported Jinja subscript "\["/],
    ['a condition other than is_incremental()', "{% if var('full') %}x{% endif %}", /unsupported condition "\{% if var\('full'\) %\}"/],
    ['ref with a version', "{{ ref('a', v=2) }}", /unsupported argument "v=" of ref\(\)/],
    ['positional config', "{{ config('table') }}", /unsupported positional arguments of config\(\)/],
    ['a literal output', "{{ 'text' }}", /unsupported Jinja "text"/],
  ];
  it.each(cases)('rejects %s', (_what, sql, message) => {
    const error = failure(sql);
    expect(error.code).toBe('DBT_UNSUPPORTED');
    expect(error.message).toMatch(message);
    expect(error.message).toContain('run the project with the dbt CLI runner');
    expect(error.data.file).toBe('models/m.sql');
    expect(typeof error.data.line).toBe('number');
  });

  it('rejects unbalanced tags as an invalid project', () => {
    expect(failure("select 1\n{% if is_incremental() %}\nwhere x").message).toBe('models/m.sql:2: {% if %} is never closed with {% endif %}');
    expect(failure('select 1 {% endif %}').message).toBe('models/m.sql:1: {% endif %} without a matching {% if %}');
    expect(failure("select 1\n\n{{ ref('a') ").message).toBe('models/m.sql:3: unclosed "{{" (no matching "}}")');
  });
});

describe('injectCtes', () => {
  const ctes = [{ name: '__dbt__cte__a', sql: 'select 1 as id -- one' }];

  it('prepends a with clause to a query without one', () => {
    expect(injectCtes('select * from __dbt__cte__a', ctes)).toBe('with __dbt__cte__a as (\nselect 1 as id -- one\n)\nselect * from __dbt__cte__a');
  });

  it('joins the existing with list (after comments and `recursive`)', () => {
    expect(injectCtes('-- note\n/* c */ WITH b as (select 2) select * from b, __dbt__cte__a', ctes)).toBe(
      '-- note\n/* c */ WITH __dbt__cte__a as (\nselect 1 as id -- one\n),\n b as (select 2) select * from b, __dbt__cte__a',
    );
    expect(injectCtes('with recursive r as (select 1) select 1', ctes)).toMatch(/^with recursive __dbt__cte__a as \(/);
  });

  it('does not take a name starting with "with" for the keyword', () => {
    expect(injectCtes('select 1 as without', ctes)).toMatch(/^with __dbt__cte__a/);
    expect(injectCtes('withdrawals', ctes)).toMatch(/^with __dbt__cte__a as \(\nselect 1 as id -- one\n\)\nwithdrawals$/);
  });
});
