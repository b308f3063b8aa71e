// `node --cpu-prof --import tsx bench/profile-in-process.ts [pglite|postgres] [wide|chain] [n]`: one
// in-process run of a generated project, for a CPU profile of the executor and the store alone.
import { loadProject } from '../src/runtime/load-project.js';
import { openInstance } from '../src/storage/index.js';
import { DATABASE_URL, dropSchema, freshName } from './lib/bench-env.js';
import { generateProject } from './lib/generate-project.js';
import { runInProcess } from './scenarios/in-process.js';
import { runThroughput } from './scenarios/sluice-runs.js';

const dialect = process.argv[2] === 'postgres' ? 'postgres' : 'pglite';
const kind = process.argv[3] === 'chain' ? 'chain' : 'wide';
const n = Number(process.argv[4] ?? 2000);
const schema = freshName('bench_profile');
const instance = dialect === 'postgres' ? await openInstance({ kind: 'postgres', connectionString: DATABASE_URL, schema }) : await openInstance({ kind: 'pglite', dataDir: undefined });
try {
  const project = await loadProject(generateProject({ kind, n }));
  const run = await runInProcess(instance, project, '*', kind === 'chain' ? 8 : 16);
  process.stdout.write(`${dialect} ${kind} ${n}: ${(await runThroughput(instance.runs, run)).toFixed(1)} steps/s (${run.status})\n`);
} finally {
  await instance.close();
  if (dialect === 'postgres') await dropSchema(schema);
}
