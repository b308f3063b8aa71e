import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface ProcessLinesOptions {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** Aborting it sends SIGINT to the process group (dbt cancels its queries), then SIGKILL after `killGraceMs`. */
  readonly signal: AbortSignal;
  readonly killGraceMs: number;
  readonly onStdout: (line: string) => void;
  readonly onStderr: (line: string) => void;
}

export interface ProcessOutcome {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
}

/**
 * Runs a program, handing each line of its output to the callbacks as it arrives, and resolves
 * when it has exited and its output is drained. Rejects only when it cannot be started (ENOENT,
 * EACCES). The program runs in its own process group, so an abort also stops what it started
 * (a wrapper such as `uv run dbt`).
 */
export function runProcessLines(command: string, args: readonly string[], options: ProcessLinesOptions): Promise<ProcessOutcome> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let killTimer: NodeJS.Timeout | undefined;
    const kill = (signal: NodeJS.Signals) => {
      if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
      try {
        process.kill(-child.pid, signal);
      } catch {
        child.kill(signal);
      }
    };
    const onAbort = () => {
      // SIGINT first: dbt's Ctrl-C path cancels its queries on the warehouse before it exits (on
      // SIGTERM it dies with them still running); whatever still runs after the grace is killed.
      kill('SIGINT');
      killTimer = setTimeout(() => kill('SIGKILL'), options.killGraceMs);
      killTimer.unref();
    };
    const cleanup = () => {
      options.signal.removeEventListener('abort', onAbort);
      if (killTimer) clearTimeout(killTimer);
    };
    createInterface({ input: child.stdout!, crlfDelay: Infinity }).on('line', options.onStdout);
    createInterface({ input: child.stderr!, crlfDelay: Infinity }).on('line', options.onStderr);
    child.once('error', (error) => {
      cleanup();
      reject(error);
    });
    child.once('close', (exitCode, signal) => {
      cleanup();
      resolvePromise({ exitCode, signal });
    });
    if (options.signal.aborted) onAbort();
    else options.signal.addEventListener('abort', onAbort, { once: true });
  });
}
