/** True when `pattern` holds a `*` wildcard. */
export function hasWildcard(pattern: string): boolean {
  return pattern.includes('*');
}

/**
 * A case-sensitive matcher for `pattern`, where `*` stands for any run of characters, `/`
 * included (`dbt/*` matches `dbt/staging/orders`). Without `*` it is an exact comparison.
 */
export function wildcardMatcher(pattern: string): (value: string) => boolean {
  if (!hasWildcard(pattern)) return (value) => value === pattern;
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[\\^$.|?+()[\]{}]/g, '\\$&'))
    .join('.*');
  const regex = new RegExp(`^${source}$`, 's');
  return (value) => regex.test(value);
}
