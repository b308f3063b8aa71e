/**
 * The name dbt gives a generic test (dbt-core's synthesize_generic_test_names): `<test>_<model>_`
 * followed by the test's arguments, sorted by argument name, flattened and joined with `__`, each
 * cleaned to [0-9a-zA-Z_]; `source_<test>_<source>_<table>_...` for a test on a source. This is the
 * test's name and unique id in dbt however long it is (dbt hashes only the relation alias of names
 * of 64 characters or more). Examples: `not_null_stg_entries_sgv`,
 * `accepted_values_fct_readings_band__low__in_range__high`,
 * `relationships_daily_glucose_day__read_date__ref_fct_readings_`.
 */
export function genericTestName(
  testName: string,
  target: { readonly kind: 'model' } & { readonly name: string } | { readonly kind: 'source'; readonly sourceName: string; readonly name: string },
  args: Readonly<Record<string, unknown>>,
): string {
  const flat: string[] = [];
  for (const key of Object.keys(args).sort()) {
    if (key === 'model') continue;
    const value = args[key];
    const parts = Array.isArray(value) ? value : typeof value === 'object' && value !== null ? Object.values(value) : [value];
    flat.push(...parts.map((part) => pythonStr(part)));
  }
  const unique = flat.map((arg) => arg.replace(/[^0-9a-zA-Z_]+/g, '_')).join('__');
  const shortTest = testName.includes('.') ? testName.slice(testName.lastIndexOf('.') + 1) : testName;
  const identifier = target.kind === 'source' ? `source_${shortTest}_${target.sourceName}_${target.name}` : `${shortTest}_${target.name}`;
  return `${identifier}_${unique}`;
}

/** How Python's str() prints a YAML value (dbt builds the name in Python). */
function pythonStr(value: unknown): string {
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (value === null || value === undefined) return 'None';
  if (Array.isArray(value)) return `[${value.map((v) => (typeof v === 'string' ? `'${v}'` : pythonStr(v))).join(', ')}]`;
  return String(value);
}
