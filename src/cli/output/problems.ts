import type { ProjectProblem } from '../../runtime/project-problem.js';

/**
 * Problems grouped by file, in the order they were found: the file on its own line, then each
 * problem's code and message, and its fix. `indent` prefixes every line.
 */
export function formatProblems(problems: readonly ProjectProblem[], projectDir: string, indent = ''): string {
  const byFile = new Map<string, ProjectProblem[]>();
  for (const p of problems) byFile.set(p.file ?? projectDir, [...(byFile.get(p.file ?? projectDir) ?? []), p]);
  const lines: string[] = [];
  for (const [file, list] of byFile) {
    lines.push(`${indent}${file}`);
    for (const p of list) lines.push(`${indent}  ${p.code}: ${p.message.replaceAll('\n', `\n${indent}    `)}`, `${indent}    fix: ${p.fix}`);
  }
  return lines.join('\n');
}
