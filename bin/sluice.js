#!/usr/bin/env node
// Runs the TypeScript CLI without a build step: tsx compiles on import.
import { setFlagsFromString } from 'node:v8';
import { register } from 'tsx/esm/api';

// A short command spends most of its CPU starting PGlite, and V8's background optimizing compiles
// of its WebAssembly (tier-up) cost more than they return before the command ends: the baseline
// compiler alone saves ~0.5 s of CPU per command that opens the embedded store, with no slower
// queries at this scale. Long-running processes keep the optimizing tier.
const LONG_RUNNING = new Set(['daemon', 'worker', 'web', 'dev']);
const args = process.argv.slice(2);
const command = args.find((arg, i) => !arg.startsWith('-') && args[i - 1] !== '--project');
if (!LONG_RUNNING.has(command ?? '')) setFlagsFromString('--liftoff-only');

register();
await import('../src/cli/main.ts');
