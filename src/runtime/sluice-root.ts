import { fileURLToPath } from 'node:url';

/** The folder of the running copy of Sluice (its package.json, src/, bin/). */
export const SLUICE_ROOT = fileURLToPath(new URL('../..', import.meta.url));
