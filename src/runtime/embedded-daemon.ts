import { randomBytes } from 'node:crypto';
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stateDir } from './runtime.js';

/** Where an embedded daemon says how to reach it: `<project>/.sluice/daemon.json` (mode 0600). */
export interface DaemonAddress {
  readonly pid: number;
  readonly url: string;
  readonly token: string;
}

function fileOf(projectDir: string): string {
  return join(stateDir(projectDir), 'daemon.json');
}

export function newApiToken(): string {
  return randomBytes(24).toString('base64url');
}

export function writeDaemonAddress(projectDir: string, address: DaemonAddress): () => void {
  const file = fileOf(projectDir);
  writeFileSync(file, JSON.stringify(address), { mode: 0o600 });
  chmodSync(file, 0o600);
  return () => rmSync(file, { force: true });
}

/** The running embedded daemon of the project, if its file names a live process. */
export function readDaemonAddress(projectDir: string): DaemonAddress | undefined {
  let address: DaemonAddress;
  try {
    address = JSON.parse(readFileSync(fileOf(projectDir), 'utf8')) as DaemonAddress;
  } catch {
    return undefined;
  }
  try {
    process.kill(address.pid, 0);
    return address;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? address : undefined;
  }
}
