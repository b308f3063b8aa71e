import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { collectTag, EXIT, reportError } from './cli-context.js';
import { flushStdio } from './output/flush-stdio.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

type Action = () => Promise<number>;

/** Runs a command body, maps errors to exit codes, and exits (resources are closed by the body). */
function run(action: Action): Promise<void> {
  return action().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.exitCode = reportError(error);
    },
  );
}

export function buildProgram(): Command {
  const program = new Command('sluice')
    .description('Sluice: a TypeScript asset orchestrator. Declares assets in assets/, schedules in schedules/, materializes and records them.')
    // Only -V on the program: `--version` would otherwise be claimed anywhere on the line, and
    // `configs show NAME --version N` needs it. `sluice --version` alone is answered in main().
    .version(pkg.version, '-V', 'output the version number (also: sluice --version)')
    .option('--project <dir>', 'project folder (default: $SLUICE_PROJECT or the current folder)')
    .showSuggestionAfterError()
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(text.startsWith('error:') ? text : `error: ${text}`) });

  program
    .command('init')
    .description("scaffold a new project in DIR: package.json depending on this copy of Sluice, tsconfig, assets/ with an asset and a check, schedules/ with a schedule, .gitignore, README; refuses a non-empty folder (exit 2) unless --force")
    .argument('<dir>', 'the folder to create (or an empty one)')
    .option('--force', 'write into a non-empty folder: only the missing files are written, existing ones are kept and listed, never overwritten')
    .option('--sluice-version <spec>', 'the sluice dependency to write in package.json (a version range, or file:PATH); default: file: + the folder of the running copy')
    .exitOverride()
    .action((dir: string, opts) => run(async () => (await import('./commands/init.js')).init(dir, opts)));

  program
    .command('check')
    .description('load and validate the whole project (modules, graph, checks, schedules and their configs); list every problem with its file and fix; exit 2 if any (for CI and pre-commit hooks)')
    .option('--json', 'print JSON: { project, ok, summary: { modules, assets, partitionedAssets, checks, schedules, groups }, problems: [{ code, file, message, fix }] }')
    .exitOverride()
    .action((opts, cmd: Command) => run(async () => (await import('./commands/check.js')).check(cmd, opts)));

  const assets = program.command('assets').description('inspect asset definitions').exitOverride();
  assets
    .command('list')
    .description('list assets, optionally filtered by a selection')
    .option('--select <expr>', 'asset selection (see README: selection syntax)')
    .option('--status', "add each asset's status (fresh, stale, failed, missing) and partition counts from the store")
    .option('--json', 'print JSON: [{ key, group, kinds, tags, owners, deps, status, statusReason, partitions }] sorted by key')
    .exitOverride()
    .action((opts, cmd: Command) => run(async () => (await import('./commands/assets-list.js')).assetsList(cmd, opts)));
  assets
    .command('partitions')
    .description('every partition of a partitioned asset up to now, newest first: materialized, failed, missing or running, stale ones marked, with its last run')
    .argument('<key>')
    .option('--json', 'print JSON')
    .exitOverride()
    .action((key: string, opts, cmd: Command) => run(async () => (await import('./commands/assets-partitions.js')).assetsPartitions(cmd, key, opts)));
  assets
    .command('report')
    .description('record a materialization made outside Sluice (an upstream system loaded it): staleness, asset sensors and automation react to it; with --observation, metadata about it without a new materialization')
    .argument('<key>')
    .option('--partition <key>', 'the partition materialized or observed (required for a partitioned asset)')
    .option('--metadata <json>', 'metadata of the materialization or observation, a JSON object (e.g. {"rows": 120})')
    .option('--observation', 'record an observation (e.g. a row count seen upstream): shown on the asset and fed to asset sensors with includeObservations, never taken for an update by staleness or automation')
    .option('--json', 'print JSON: { assetKey, partition, kind, runId }')
    .exitOverride()
    .action((key: string, opts, cmd: Command) => run(async () => (await import('./commands/assets-report.js')).assetsReport(cmd, key, opts)));
  assets
    .command('show')
    .description("an asset's definition and history: materializations and check results, newest first")
    .argument('<key>')
    .option('--limit <n>', 'at most this many materializations and check results', '20')
    .option('--json', 'print JSON')
    .exitOverride()
    .action((key: string, opts, cmd: Command) => run(async () => (await import('./commands/assets-show.js')).assetsShow(cmd, key, opts)));

  const checks = program.command('checks').description('inspect asset checks').exitOverride();
  checks
    .command('list')
    .description('each check of the selected assets: severity, blocking, description, latest result (passed/failed, when, run)')
    .option('--select <expr>', 'asset selection; selecting an asset selects its checks')
    .option('--json', 'print JSON: [{ asset, name, severity, blocking, gating, description, latest }]')
    .exitOverride()
    .action((opts, cmd: Command) => run(async () => (await import('./commands/checks.js')).checksList(cmd, opts)));

  program
    .command('materialize')
    .description('launch a run of the selected assets and follow it until it ends (exit 0 success, 1 failed, 2 bad input, 130 canceled)')
    .requiredOption('--select <expr>', 'asset selection, e.g. "*", "+key:promote_dev_to_main", "group:dbt"')
    .option('--config <file>', 'run config JSON: { "<asset key>": { ...config } }')
    .option('--config-name <name[@version]>', 'a stored run config (sluice configs set), its latest version unless @VERSION; not with --config')
    .option('--tag <key=value>', 'run tag (repeatable)', collectTag)
    .option('--concurrency <n>', 'steps running at once', '4')
    .option('--json', 'print the final run summary as JSON')
    .option('-v, --verbose', 'also print step log lines (JSON) on stderr')
    .option('--detach', 'with SLUICE_REDIS_URL: print the run id and return without following the run')
    .option('--in-process', 'execute in this process even when SLUICE_REDIS_URL is set')
    .option('--allow-failed-checks', 'launch even when a blocking check upstream of the selection (outside it) failed in its latest evaluation')
    .option('--partition <key>', "the partition of the selection's partitioned assets, e.g. 2024-10-01")
    .option('--partition-range <from...to>', 'a range of partitions in one run, e.g. 2024-10-01...2024-10-07; not with --partition')
    .exitOverride()
    .action((opts, cmd: Command) => run(async () => (await import('./commands/materialize.js')).materialize(cmd, opts)));

  const backfill = program
    .command('backfill')
    .description(
      'materialize a range of partitions as runs split by --policy (with SLUICE_REDIS_URL or a running embedded daemon: executed by the daemon; else in this process). Exit 0 when every run succeeded, 1 otherwise',
    )
    .option('--select <expr>', 'asset selection; every selected asset must be partitioned (required)')
    .option('--from <key>', 'first partition key of the range (required)')
    .option('--to <key>', 'last partition key of the range, inclusive (required)')
    .option('--policy <policy>', 'per-partition (one run each), single-run (one run for the range) or chunks:N (runs of N partitions)', 'per-partition')
    .option('--max-concurrent-runs <n>', "at most this many of the backfill's runs at once (in this process: default 1)")
    .option('--only-failed', 'only the partitions of the range whose latest outcome failed')
    .option('--only-missing', 'only the partitions of the range never materialized (with --only-failed: either)')
    .option('--config-name <name[@version]>', 'a stored run config (sluice configs set), its latest version unless @VERSION; not with --config')
    .option('--tag <key=value>', 'tag of every run (repeatable)', collectTag)
    .option('--config <file>', 'run config JSON: { "<asset key>": { ...config } }')
    .option('--allow-failed-checks', 'launch even when a blocking check upstream of the selection (outside it) failed in its latest evaluation')
    .option('--detach', 'return right after the launch')
    .option('--json', 'print JSON (the final backfill, or with --detach the launch)')
    .exitOverride()
    .action((opts, cmd: Command) => run(async () => (await import('./commands/backfill.js')).backfill(cmd, opts)));
  backfill
    .command('list')
    .description('backfills, newest first, with their progress')
    .option('--status <statuses>', 'only these statuses (comma-separated: RUNNING, COMPLETED, FAILED, CANCELING, CANCELED)')
    .option('--limit <n>', 'at most this many backfills', '50')
    .exitOverride()
    .action((opts, cmd: Command) => run(async () => (await import('./commands/backfills.js')).backfillList(cmd, opts)));
  backfill
    .command('show')
    .description('a backfill: status, selection, range, policy, counts, and each partition with its state and run')
    .argument('<id>')
    .exitOverride()
    .action((id: string, _opts, cmd: Command) => run(async () => (await import('./commands/backfills.js')).backfillShow(cmd, id)));
  backfill
    .command('cancel')
    .description("cancel a backfill: its queued runs never start, its running runs are canceled like `sluice runs cancel`")
    .argument('<id>')
    .exitOverride()
    .action((id: string, _opts, cmd: Command) => run(async () => (await import('./commands/backfills.js')).backfillCancel(cmd, id)));

  const runs = program.command('runs').description('inspect runs').exitOverride();
  runs
    .command('list')
    .description('list runs, newest first')
    .option('--status <statuses>', 'only these statuses (comma-separated)')
    .option('--tag <key=value>', 'only runs with this tag (repeatable; all must match)', collectTag)
    .option('--since <when>', 'only runs created since: an ISO-8601 instant, or an age like 30m, 24h, 7d')
    .option('--limit <n>', 'at most this many runs', '50')
    .option('--json', 'print JSON')
    .exitOverride()
    .action((opts, cmd: Command) => run(async () => (await import('./commands/runs.js')).runsList(cmd, opts)));
  runs
    .command('show')
    .description('a run with its steps, attempts, durations, materializations and check results')
    .argument('<runId>')
    .option('--json', 'print JSON')
    .exitOverride()
    .action((runId: string, opts, cmd: Command) => run(async () => (await import('./commands/runs.js')).runsShow(cmd, runId, opts)));
  runs
    .command('logs')
    .description("a run's event log: step transitions, log lines, materializations, check results")
    .argument('<runId>')
    .option('--json', 'print JSON')
    .exitOverride()
    .action((runId: string, opts, cmd: Command) => run(async () => (await import('./commands/runs.js')).runsLogs(cmd, runId, opts)));

  runs
    .command('cancel')
    .description('cancel a queued or running run: running steps see ctx.signal aborted, queued steps are dropped')
    .argument('<runId>')
    .option('--json', 'print JSON')
    .exitOverride()
    .action((runId: string, opts, cmd: Command) => run(async () => (await import('./commands/runs.js')).runsCancel(cmd, runId, opts)));
  runs
    .command('reexecute')
    .description('launch what a FAILURE or CANCELED run did not finish (its failed, skipped and unstarted steps) and follow it')
    .argument('<runId>')
    .option('--detach', 'return once the run is launched')
    .option('--json', 'print the final run summary as JSON (progress goes to stderr)')
    .exitOverride()
    .action((runId: string, opts, cmd: Command) => run(async () => (await import('./commands/runs.js')).runsReexecute(cmd, runId, opts)));

  program
    .command('worker')
    .description('execute steps from BullMQ (needs SLUICE_REDIS_URL and SLUICE_DATABASE_URL) until SIGTERM/SIGINT')
    .option('--concurrency <n>', 'steps running at once in this process', '4')
    .option('--grace-ms <ms>', 'on SIGTERM/SIGINT, how long running steps may take to finish before they are aborted', '30000')
    .exitOverride()
    .action((opts, cmd: Command) => run(async () => (await import('./commands/worker.js')).worker(cmd, opts)));

  const configs = program.command('configs').description('store and inspect named, versioned run configs (secrets only as env references)').exitOverride();
  configs
    .command('set')
    .description('validate FILE.json against the project and store it as the next version of NAME')
    .argument('<name>')
    .argument('<file>')
    .option('--json', 'print the stored record (without the body) as JSON')
    .exitOverride()
    .action((name: string, file: string, opts, cmd: Command) => run(async () => (await import('./commands/configs.js')).configsSet(cmd, name, file, opts)));
  configs
    .command('show')
    .description('the body of a stored config version, its version and creation time: NAME for the latest, NAME@VERSION or --version N for another')
    .argument('<name[@version]>')
    .option('--version <n>', 'the version to show (default: the latest)')
    .option('--json', 'print JSON')
    .exitOverride()
    .action((name: string, opts, cmd: Command) => run(async () => (await import('./commands/configs.js')).configsShow(cmd, name, opts)));
  configs
    .command('list')
    .description('each stored config name with its latest version')
    .option('--json', 'print JSON')
    .exitOverride()
    .action((opts, cmd: Command) => run(async () => (await import('./commands/configs.js')).configsList(cmd, opts)));

  const schedules = program.command('schedules').description('inspect, preview, start and stop schedules (defined under schedules/)').exitOverride();
  schedules
    .command('list')
    .description('each schedule: cron, time zone, status, next tick, last tick and its run')
    .option('--json', 'print JSON')
    .exitOverride()
    .action((opts, cmd: Command) => run(async () => (await import('./commands/schedules.js')).schedulesList(cmd, opts)));
  schedules
    .command('preview')
    .description("the next tick instants, ISO-8601 with the schedule's UTC offset")
    .argument('<name>')
    .option('--count <n>', 'how many ticks', '5')
    .option('--from <iso>', 'ticks after this instant (default: now)')
    .option('--json', 'print a JSON array of ISO-8601 strings')
    .exitOverride()
    .action((name: string, opts, cmd: Command) => run(async () => (await import('./commands/schedules.js')).schedulesPreview(cmd, name, opts)));
  schedules
    .command('start')
    .description('set the schedule RUNNING (persisted); a running daemon launches its ticks from now on, never earlier ones')
    .argument('<name>')
    .option('--json', 'print the stored state as JSON')
    .exitOverride()
    .action((name: string, opts, cmd: Command) => run(async () => (await import('./commands/schedules.js')).schedulesSetStatus(cmd, name, 'RUNNING', opts)));
  schedules
    .command('stop')
    .description('set the schedule STOPPED (persisted)')
    .argument('<name>')
    .option('--json', 'print the stored state as JSON')
    .exitOverride()
    .action((name: string, opts, cmd: Command) => run(async () => (await import('./commands/schedules.js')).schedulesSetStatus(cmd, name, 'STOPPED', opts)));
  schedules
    .command('ticks')
    .description("the schedule's tick history, latest first: STARTED, SUCCESS with the run, SKIPPED with the reason, FAILURE with the error")
    .argument('<name>')
    .option('--limit <n>', 'at most this many ticks', '50')
    .option('--json', 'print JSON')
    .exitOverride()
    .action((name: string, opts, cmd: Command) => run(async () => (await import('./commands/schedules.js')).schedulesTicks(cmd, name, opts)));

  const alerts = program.command('alerts').description('alert policies (defineAlert under schedules/ or assets/) and their deliveries').exitOverride();
  const alertsModule = () => import('./commands/alerts.js');
  alerts
    .command('list')
    .description('each alert and channel: deliveries sent, pending, failed (with the last error), and the newest deliveries')
    .option('--json', 'print JSON')
    .option('--limit <n>', 'how many recent deliveries', '20')
    .exitOverride()
    .action((opts, cmd: Command) => run(async () => (await alertsModule()).alertsList(cmd, opts)));
  alerts
    .command('test <name>')
    .description("send a test message through each of the alert's channels now (from this shell's environment)")
    .option('--json', 'print JSON')
    .exitOverride()
    .action((name: string, opts, cmd: Command) => run(async () => (await alertsModule()).alertsTest(cmd, name, opts)));
  const sensors = program.command('sensors').description('inspect, preview, start and stop sensors (defineSensor, onAssetEvents, onRunStatus under schedules/ or assets/)').exitOverride();
  const sensorsModule = () => import('./commands/sensors.js');
  sensors
    .command('list')
    .description('each sensor: what it watches, status, interval, last tick, cursor')
    .option('--json', 'print JSON')
    .exitOverride()
    .action((opts, cmd: Command) => run(async () => (await sensorsModule()).sensorsList(cmd, opts)));
  sensors
    .command('start')
    .description('set the sensor RUNNING (persisted); a running daemon evaluates it from its next pass')
    .argument('<name>')
    .option('--json', 'print the stored state as JSON')
    .exitOverride()
    .action((name: string, opts, cmd: Command) => run(async () => (await sensorsModule()).sensorsSetStatus(cmd, name, 'RUNNING', opts)));
  sensors
    .command('stop')
    .description('set the sensor STOPPED (persisted)')
    .argument('<name>')
    .option('--json', 'print the stored state as JSON')
    .exitOverride()
    .action((name: string, opts, cmd: Command) => run(async () => (await sensorsModule()).sensorsSetStatus(cmd, name, 'STOPPED', opts)));
  sensors
    .command('ticks')
    .description("the sensor's ticks, newest first: SUCCESS with its runs, SKIPPED with the reason, FAILURE with the error; cursor after each")
    .argument('<name>')
    .option('--limit <n>', 'at most this many ticks', '20')
    .option('--json', 'print JSON')
    .exitOverride()
    .action((name: string, opts, cmd: Command) => run(async () => (await sensorsModule()).sensorsTicks(cmd, name, opts)));
  sensors
    .command('preview')
    .description('evaluate the sensor once (in the daemon when one holds the store, else here) and print the runs it would request; launches nothing, moves no cursor')
    .argument('<name>')
    .option('--json', 'print JSON: { sensor, cursorBefore, cursorAfter, runs: [{ runKey, selection, partition, steps, tags }], skippedRunKeys, skipReason, fed }')
    .exitOverride()
    .action((name: string, opts, cmd: Command) => run(async () => (await sensorsModule()).sensorsPreview(cmd, name, opts)));
  sensors
    .command('cursor')
    .description("show the sensor's cursor, or set it with --set (an asset or run-status sensor's cursor is the last event id it saw; --set '' clears it)")
    .argument('<name>')
    .option('--set <value>', 'the new cursor')
    .option('--json', 'print JSON: { name, cursor }')
    .exitOverride()
    .action((name: string, opts, cmd: Command) => run(async () => (await sensorsModule()).sensorsCursor(cmd, name, opts)));
  const automation = program
    .command('automation')
    .description("declarative automation (an asset's `automation`, e.g. eager()): turn it on or off, preview the next evaluation, explain an asset's latest one")
    .exitOverride();
  for (const [action, text] of [
    ['start', 'turn automation on (persisted): a running daemon evaluates every automated asset each SLUICE_AUTOMATION_INTERVAL_MS (default 30 s) and launches what is requested'],
    ['stop', 'turn automation off (persisted): nothing is evaluated or launched'],
    ['status', 'on or off, and what the latest evaluation requested and launched'],
  ] as const) {
    automation
      .command(action)
      .description(text)
      .option('--json', 'print JSON')
      .exitOverride()
      .action((opts, cmd: Command) => run(async () => (await import('./commands/automation.js')).automationStatus(cmd, action, opts)));
  }
  automation
    .command('preview')
    .description('what the next evaluation would launch (runs, backfills), from the saved state; launches and saves nothing')
    .option('--json', 'print JSON: { evaluatedAt, requested: [{ asset, partitions }], launches, errors }')
    .exitOverride()
    .action((opts, cmd: Command) => run(async () => (await import('./commands/automation.js')).automationPreview(cmd, opts)));
  automation
    .command('why')
    .description("the asset's latest kept evaluation: each node of its condition, true or false (for --partition, or counted over partitions)")
    .argument('<key>')
    .option('--partition <key>', 'the partition to explain')
    .option('--json', 'print the evaluation with its tree as JSON')
    .exitOverride()
    .action((key: string, opts, cmd: Command) => run(async () => (await import('./commands/automation.js')).automationWhy(cmd, key, opts)));

  const daemon = program
    .command('daemon')
    .description('run the scheduler, the run queue, the run monitor and heartbeats (with SLUICE_REDIS_URL: for BullMQ workers; else executing runs itself)')
    .option('--concurrency <n>', 'embedded mode: steps running at once per run', '4')
    .option('--web-host <host>', 'where the dashboard listens; any non-loopback address requires SLUICE_WEB_TOKEN', '127.0.0.1')
    .option('--web-port <port>', 'dashboard port (0 = any free port; when the default is taken the daemon runs without a dashboard)', '3000')
    .option('--no-web', 'do not serve the dashboard')
    .exitOverride()
    .action((opts, cmd: Command) => run(async () => (await import('./commands/daemon.js')).daemon(cmd, opts)));
  daemon
    .command('status')
    .description('heartbeats of daemons and workers')
    .option('--json', 'print JSON')
    .exitOverride()
    .action((opts, cmd: Command) => run(async () => (await import('./commands/daemon.js')).daemonStatus(cmd, opts)));

  program
    .command('dev')
    .description('run the daemon and the dashboard on this project, reloading definitions when files under assets/, schedules/ or a dbt project change (no restart); runs execute in this process, each with the code it started with')
    .option('--concurrency <n>', 'steps running at once per run', '4')
    .option('--web-host <host>', 'where the dashboard listens; any non-loopback address requires SLUICE_WEB_TOKEN', '127.0.0.1')
    .option('--web-port <port>', 'dashboard port (0 = any free port; when the default is taken, any free port)', '3000')
    .exitOverride()
    .action((opts, cmd: Command) => run(async () => (await import('./commands/dev.js')).dev(cmd, opts)));

  program
    .command('web')
    .description('serve the dashboard alone (pages, JSON API, /metrics, /queues with Redis) on the project\'s store until SIGTERM/SIGINT')
    .option('--web-host <host>', 'where to listen; any non-loopback address requires SLUICE_WEB_TOKEN', '127.0.0.1')
    .option('--web-port <port>', 'port (0 = any free port)', '3000')
    .exitOverride()
    .action((opts, cmd: Command) => run(async () => (await import('./commands/web.js')).web(cmd, opts)));

  return program;
}

export async function main(argv: readonly string[]): Promise<void> {
  if (argv.length === 3 && argv[2] === '--version') {
    process.stdout.write(`${pkg.version}\n`);
    return;
  }
  const program = buildProgram();
  try {
    await program.parseAsync(argv as string[]);
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and --version exit 0; every parse error (unknown command or flag, missing value) is bad input.
      process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.badInput;
      return;
    }
    process.exitCode = reportError(error);
  }
}

// A reader that stops early (`| head`) closes the pipe: that ends the output, it is not an error
// of the command (no stack trace; the exit code is the command's own, as far as it got).
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(process.exitCode ?? EXIT.ok);
  });
}
await main(process.argv);
// Everything the command opened is closed by now; exit rather than wait on handles user code leaked,
// but only once stdout and stderr have drained (a pipe would otherwise get the first 64 KiB).
await flushStdio();
process.exit(process.exitCode ?? EXIT.ok);
