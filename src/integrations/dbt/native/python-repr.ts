/**
 * A value as Jinja2 prints it (Python's str() at the top, repr() inside containers): True,
 * False, None, ['a', 1], {'k': 2}; strings print bare at the top and quoted inside. Objects
 * with their own toString (relations, nunjucks' SafeString) print through it.
 */
export function pythonRepr(value: unknown, top = false): string {
  if (value === undefined || value === null) return top && value === undefined ? '' : 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : value > 0 ? 'inf' : value < 0 ? '-inf' : 'nan';
  if (typeof value === 'string') return top ? value : quote(value);
  if (Array.isArray(value)) return `[${value.map((item) => pythonRepr(item)).join(', ')}]`;
  if (typeof value === 'function') return `<function ${value.name || 'anonymous'}>`;
  if (typeof value === 'object' && Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) {
    const text = String(value);
    return top ? text : quote(text);
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(([key]) => key !== '__keywords');
  return `{${entries.map(([key, item]) => `${quote(key)}: ${pythonRepr(item)}`).join(', ')}}`;
}

/** Python's repr of a string: single quotes unless it holds one and no double quote. */
function quote(text: string): string {
  const escaped = text.replaceAll('\\', '\\\\').replaceAll('\n', '\\n').replaceAll('\t', '\\t').replaceAll('\r', '\\r');
  if (text.includes("'") && !text.includes('"')) return `"${escaped}"`;
  return `'${escaped.replaceAll("'", "\\'")}'`;
}
