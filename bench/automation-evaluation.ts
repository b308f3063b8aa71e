// `npx tsx bench/automation-evaluation.ts`: the pure automation evaluator on 5,000 assets (1,000
// of them daily-partitioned over two years), eager() everywhere: the time of one evaluation after
// 100 new upstream materializations, beside the first (initial) evaluation, and the size of the
// trees an evaluation would store. AUTOMATION_ASSETS shrinks it. Evaluation only: no storage.
import { eager } from '../src/core/automation/built-conditions.js';
import type { AutomationAsset, PartitionState } from '../src/core/automation/automation-snapshot.js';
import { evaluateAutomation } from '../src/core/automation/evaluate-automation.js';
import { dailyPartitions, partitionKeys } from '../src/index.js';
import { CronTicks } from '../src/scheduler/cron-ticks.js';

const TOTAL = Number(process.env.AUTOMATION_ASSETS ?? 5000);
const PARTITIONED = Math.round(TOTAL / 5);
const now = new Date('2030-01-01T12:00:00Z');
const daily = dailyPartitions({ start: '2028-01-01' });
const keys = partitionKeys(daily, now);
const condition = eager();
// Chains of 10: partitioned assets first (a partitioned root, then its children), the rest unpartitioned.
const assets: AutomationAsset[] = [];
for (let i = 0; i < TOTAL; i++) {
  const partitioned = i < PARTITIONED;
  const deps = i % 10 === 0 ? [] : [`a${i - 1}`];
  assets.push({ key: `a${i}`, deps, partitions: partitioned ? daily : undefined, partitionMappings: {}, codeVersion: undefined, checks: [], automation: i % 10 === 0 ? undefined : condition });
}
let id = 0;
const partitions = new Map<string, Map<string, PartitionState>>();
for (const a of assets) partitions.set(a.key, new Map((a.partitions ? keys : ['']).map((k) => [k, { status: 'MATERIALIZED', materialized: true, lastMaterializationId: ++id }])));
const ticks = new Map<string, CronTicks>();
const cronTickBetween = (cron: string, tz: string, after: Date, until: Date) => {
  let t = ticks.get(cron);
  if (!t) ticks.set(cron, (t = new CronTicks(cron, tz)));
  const next = t.nextAfter(after);
  return next !== undefined && next <= until;
};
const snapshot = (at: Date) => ({ now: at, partitions, inProgress: new Map(), checks: new Map(), lastEventId: id });

let started = performance.now();
const first = evaluateAutomation({ assets, snapshot: snapshot(now), previous: undefined, cronTickBetween });
const initialMs = performance.now() - started;
// 100 new materializations of chain roots (their latest partition when partitioned).
for (let i = 0; i < 100; i++) {
  const root = assets[(i * 10) % TOTAL]!;
  partitions.get(root.key)!.set(root.partitions ? keys.at(-1)! : '', { status: 'MATERIALIZED', materialized: true, lastMaterializationId: ++id });
}
const later = new Date(now.getTime() + 30_000);
started = performance.now();
const second = evaluateAutomation({ assets, snapshot: snapshot(later), previous: first.cursor, cronTickBetween });
const afterMs = performance.now() - started;
const requested = [...second.requested.values()].reduce((n, p) => n + p.length, 0);
const treeBytes = second.assets.reduce((n, a) => n + JSON.stringify(a.tree).length, 0);
const cursorBytes = JSON.stringify(second.cursor).length;
process.stdout.write(
  `${TOTAL} assets (${PARTITIONED} daily x ${keys.length} partitions), eager on ${assets.filter((a) => a.automation).length}\n` +
    `initial evaluation: ${initialMs.toFixed(0)} ms\n` +
    `evaluation after 100 materializations: ${afterMs.toFixed(0)} ms, ${requested} partitions requested\n` +
    `trees: ${(treeBytes / 1e6).toFixed(1)} MB, cursor: ${(cursorBytes / 1e6).toFixed(1)} MB\n`,
);
