#!/usr/bin/env node
// The CLI runs the compiled dist/ (npm run build; `npm ci` runs it); when a file of src/ changed
// since, it builds dist/ again first (a fraction of a second).
import { setFlagsFromString } from 'node:v8';
import { buildDist, distIsCurrent } from '../scripts/build.mjs';

// A short command spends most of its CPU starting PGlite, and V8's background optimizing compiles
// of its WebAssembly (tier-up) cost more than they return before the command ends: the baseline
// compiler alone saves ~0.5 s of CPU per command that opens the embedded store, with no slower
// queries at this scale. Long-running processes keep the optimizing tier.
const LONG_RUNNING = new Set(['daemon', 'worker', 'web', 'dev']);
const args = process.argv.slice(2);
const command = args.find((arg, i) => !arg.startsWith('-') && args[i - 1] !== '--project');
if (!LONG_RUNNING.has(command ?? '')) setFlagsFromString('--liftoff-only');

if (!distIsCurrent()) await buildDist();
await import('../dist/cli/main.js');
