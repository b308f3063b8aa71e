import { finishRunIfDone } from '../finish-run.js';
import type { RunLauncher } from '../run-launcher.js';
import type { StepRunnerContext } from '../step-runner.js';
import { InProcessExecutor, type InProcessOptions } from './in-process-executor.js';

/**
 * Runs each started run inside this process (the embedded deployment's daemon): one in-process
 * executor per run, canceled through its AbortController.
 */
export class InProcessLauncher implements RunLauncher {
  readonly kind = 'in-process' as const;
  private readonly running = new Map<string, { abort: AbortController; done: Promise<unknown>; host: StepRunnerContext }>();

  constructor(
    private host: StepRunnerContext,
    private readonly options: InProcessOptions = {},
    private readonly onError: (runId: string, error: unknown) => void = () => {},
  ) {}

  async start(runId: string): Promise<void> {
    if (this.running.has(runId)) return;
    const abort = new AbortController();
    const host = this.host;
    const done = new InProcessExecutor(host, this.options)
      .execute(runId, abort.signal)
      .catch((error: unknown) => this.onError(runId, error))
      .finally(() => this.running.delete(runId));
    this.running.set(runId, { abort, done, host });
  }

  /**
   * Runs started from now on execute with `host` (`sluice dev` reloaded the project: its graph and
   * resources); runs in flight finish with the host they started with.
   */
  setHost(host: StepRunnerContext): void {
    this.host = host;
  }

  /** Resolves once no run started with `host` is executing here any more. */
  async whenIdle(host: StepRunnerContext): Promise<void> {
    await Promise.all([...this.running.values()].filter((r) => r.host === host).map((r) => r.done));
  }

  async cancel(runId: string): Promise<void> {
    const entry = this.running.get(runId);
    if (entry) {
      entry.abort.abort();
      await entry.done;
      return;
    }
    // Not executing here (e.g. after a restart): cancel what storage holds.
    const at = this.host.now();
    const run = await this.host.instance.runs.getRun(runId);
    if (run?.status === 'QUEUED') await this.host.instance.runs.setRunStatus(runId, 'CANCELED', at);
    else if (run?.status === 'STARTED' || run?.status === 'CANCELING') {
      await finishRunIfDone(this.host.instance.runs, runId, at, { cancelRequested: true });
    }
  }

  active(): string[] {
    return [...this.running.keys()];
  }

  /** Cancels every run still executing here and waits for them to end. */
  async close(): Promise<void> {
    for (const { abort } of this.running.values()) abort.abort();
    await Promise.all([...this.running.values()].map((r) => r.done));
  }
}
