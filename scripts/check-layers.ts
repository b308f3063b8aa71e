// `npm run lint`: the layer import rules of docs/architecture.md, and no import cycles.
import { fileURLToPath } from 'node:url';
import { checkLayers } from './layer-rules.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const violations = checkLayers(root);
for (const v of violations) process.stderr.write(`${v.file}: ${v.message}\n`);
if (violations.length > 0) {
  process.stderr.write(`\n${violations.length} layer rule violation(s); see docs/architecture.md "Who may import whom"\n`);
  process.exit(1);
}
process.stdout.write('layers: ok\n');
