/**
 * Edit distance between two strings (case-sensitive): insertions, deletions, substitutions and
 * transpositions of neighbours each cost 1 (optimal string alignment), so `alcie` is 1 from `alice`.
 */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  const rows: number[][] = [Array.from({ length: b.length + 1 }, (_, j) => j)];
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(rows[i - 1]![j]! + 1, row[j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, rows[i - 2]![j - 2]! + 1);
      row[j] = best;
    }
    rows.push(row);
  }
  return rows[a.length]![b.length]!;
}

/**
 * Up to `max` candidates close to `input`: those within a third of its length in edits, or that
 * contain it or end with it as a path segment, best first.
 */
export function suggest(input: string, candidates: Iterable<string>, max = 3): string[] {
  const needle = input.toLowerCase();
  const limit = Math.max(1, Math.floor(needle.length / 3));
  const scored: Array<{ candidate: string; score: number }> = [];
  for (const candidate of candidates) {
    const hay = candidate.toLowerCase();
    const lastSegment = hay.slice(hay.lastIndexOf('/') + 1);
    const distance = Math.min(editDistance(needle, hay), editDistance(needle, lastSegment));
    if (distance <= limit) scored.push({ candidate, score: distance });
    else if (needle.length >= 3 && hay.includes(needle)) scored.push({ candidate, score: limit + 1 });
  }
  scored.sort((x, y) => x.score - y.score || x.candidate.localeCompare(y.candidate));
  return scored.slice(0, max).map((s) => s.candidate);
}

/** ` (did you mean "a" or "b"?)`, or the empty string when there is nothing to suggest. */
export function didYouMean(suggestions: readonly string[], format: (s: string) => string = (s) => `"${s}"`): string {
  if (suggestions.length === 0) return '';
  const items = suggestions.map(format);
  const list = items.length === 1 ? items[0] : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
  return ` (did you mean ${list}?)`;
}
