import { readDaemonAddress } from './embedded-daemon.js';
import { LocalRunService, RemoteRunService } from './run-service.js';
import { openStore } from './runtime.js';
import type { Settings } from './settings.js';
import type { Instance } from '../storage/instance.js';

export type OpenedRunService =
  | { readonly kind: 'remote'; readonly service: RemoteRunService; close(): Promise<void> }
  | { readonly kind: 'local'; readonly service: LocalRunService; readonly instance: Instance; close(): Promise<void> };

/**
 * The project's runs: through the embedded daemon's API when a daemon holds the embedded store,
 * otherwise straight from the store (server Postgres, or the embedded PGlite when it is free).
 */
export async function openRunService(settings: Settings): Promise<OpenedRunService> {
  if (!settings.databaseUrl) {
    const address = readDaemonAddress(settings.projectDir);
    if (address) return { kind: 'remote', service: new RemoteRunService(address), close: async () => {} };
  }
  const { instance, release } = await openStore(settings);
  return {
    kind: 'local',
    service: new LocalRunService(instance),
    instance,
    async close() {
      try {
        await instance.close();
      } finally {
        release();
      }
    },
  };
}
