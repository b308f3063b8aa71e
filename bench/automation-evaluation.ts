// `npx tsx bench/automation-evaluation.ts`: the pure automation evaluator on 5,000 assets (1,000
// of them daily-partitioned over two years), eager() everywhere: one evaluation after 100 new
// upstream materializations, incremental (carrying over what nothing changed for) beside the same
// evaluation in full and the first one, and the size of the trees. AUTOMATION_ASSETS shrinks it.
// Evaluation only: no storage. `npm run bench` reports the same figures (BENCH_ONLY=automation).
import { automationEvaluation } from './scenarios/automation-evaluation.js';

const f = automationEvaluation(Number(process.env.AUTOMATION_ASSETS ?? 5000));
process.stdout.write(
  `${f.assets} assets (${f.partitioned} daily x ${f.partitions} partitions), eager on ${f.automated}\n` +
    `initial evaluation: ${f.initialMs.toFixed(0)} ms\n` +
    `after 100 materializations: incremental ${f.incrementalMs.toFixed(0)} ms (${f.evaluated} assets evaluated), full ${f.fullMs.toFixed(0)} ms, ${f.requested} partitions requested\n` +
    `trees: ${(f.treeBytes / 1e6).toFixed(1)} MB, cursor: ${(f.cursorBytes / 1e6).toFixed(1)} MB\n`,
);
