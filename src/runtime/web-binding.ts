// Where a dashboard may listen, for the CLI: a light module (web-binding only), so a command checks
// its flags before the dashboard's modules load (runtime/serve-dashboard.ts loads them).
export { resolveWebBinding, type WebBinding } from '../web/web-binding.js';
