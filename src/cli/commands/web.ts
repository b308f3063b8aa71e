import type { Command } from 'commander';
import { resolveWebBinding, type WebBinding } from '../../runtime/web-binding.js';
import { startWebProcess } from '../../runtime/web-process.js';
import { EXIT, settingsFor } from '../cli-context.js';
import { untilSignal } from '../until-signal.js';

export interface WebFlags {
  readonly webHost: string;
  readonly webPort: string;
}

/** Where the dashboard listens, checked before anything is opened (no token off loopback: exit 2). */
export function webBindingFor(opts: WebFlags, env: NodeJS.ProcessEnv = process.env): WebBinding {
  return resolveWebBinding({ host: opts.webHost, port: opts.webPort, token: env.SLUICE_WEB_TOKEN });
}

/** `sluice web`: the dashboard alone, on the project's store (runtime/web-process.ts), until SIGINT/SIGTERM. */
export async function web(cmd: Command, opts: WebFlags): Promise<number> {
  const settings = settingsFor(cmd);
  const binding = webBindingFor(opts);
  const server = await startWebProcess(settings, binding);
  try {
    process.stderr.write(
      `sluice web: dashboard at ${server.url}${binding.token ? ' (SLUICE_WEB_TOKEN required)' : ''}${server.distributed ? '' : '; runs it launches wait for a daemon'}\n`,
    );
    const signal = await untilSignal();
    process.stderr.write(`sluice web: ${signal}, stopping\n`);
  } finally {
    await server.close();
  }
  return EXIT.ok;
}
