import { relative } from 'node:path';
import { scaffoldProject } from '../../runtime/scaffold-project.js';
import { EXIT } from '../cli-context.js';

/**
 * `sluice init DIR [--force] [--sluice-version SPEC]`: scaffolds a new project and says what it
 * wrote, what it kept, and what to run next.
 */
export async function init(dir: string, opts: { force?: boolean; sluiceVersion?: string }): Promise<number> {
  const result = scaffoldProject(dir, { force: opts.force === true, ...(opts.sluiceVersion ? { sluiceDependency: opts.sluiceVersion } : {}) });
  const lines = [`sluice init: project ${result.dir} (sluice: ${result.sluiceDependency})`];
  for (const path of result.created) lines.push(`  created ${path}`);
  for (const path of result.kept) lines.push(`  kept    ${path} (it exists; not overwritten)`);
  const rel = relative(process.cwd(), result.dir);
  const cd = rel === '' ? '.' : rel.startsWith('..') ? result.dir : rel;
  lines.push(
    '',
    'next:',
    `  cd ${cd.includes(' ') ? JSON.stringify(cd) : cd} && npm install`,
    '  npx sluice check                       # validate the project',
    "  npx sluice materialize --select '*'    # run every asset once",
    '  npx sluice dev                         # daemon + dashboard, reloading as you edit',
  );
  process.stdout.write(`${lines.join('\n')}\n`);
  return EXIT.ok;
}
