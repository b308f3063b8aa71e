// `npm test` after the layer check and the build: the type check and vitest at the same time.
// tsc is one single-threaded process of ~40 s of CPU; the suite leaves part of two cores idle
// while its tests wait on processes and sockets, so tsc runs beside it at a lower priority and
// takes that idle time instead of adding its own minute in front. vitest's output streams as it
// comes; tsc's is printed after it. Exits non-zero when either fails. Arguments go to vitest.
import { spawn } from 'node:child_process';
import { setPriority } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);

/** Runs a command to its end; resolves with its exit code and (when captured) its output. */
function run(command, args, { capture = false, priority } = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: capture ? ['ignore', 'pipe', 'pipe'] : 'inherit' });
    if (priority !== undefined) {
      try {
        setPriority(child.pid, priority);
      } catch {
        // Not allowed here: it runs at the same priority, only slower to finish.
      }
    }
    let output = '';
    child.stdout?.on('data', (d) => (output += d));
    child.stderr?.on('data', (d) => (output += d));
    child.on('error', (error) => resolve({ code: 1, output: `${output}${command}: ${error.message}\n` }));
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), output }));
  });
}

async function typecheck() {
  const steps = [[], ['-p', 'tsconfig.static.json']];
  let output = '';
  for (const args of steps) {
    const res = await run(bin('tsc'), ['--noEmit', ...args], { capture: true, priority: 10 });
    output += res.output;
    if (res.code !== 0) return { code: res.code, output: `npm run typecheck (tsc ${['--noEmit', ...args].join(' ')}) failed:\n${output}` };
  }
  return { code: 0, output: 'typecheck: clean (tsc --noEmit; tsc -p tsconfig.static.json)\n' };
}

const [checked, tested] = await Promise.all([typecheck(), run(bin('vitest'), ['run', ...process.argv.slice(2)])]);
process.stdout.write(`\n${checked.output}`);
if (checked.code !== 0) process.exitCode = checked.code;
else if (tested.code !== 0) process.exitCode = tested.code;
