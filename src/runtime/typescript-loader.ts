/**
 * Makes `import()` of a project's TypeScript modules work in a process running compiled Sluice
 * (dist/): registers tsx's loader hooks once, first loading the public API (`sluice`, dist/index.js)
 * so that its module graph is read without the hooks (each hooked import costs a round trip to the
 * loader thread; a project's `import ... from 'sluice'` then finds it loaded). Running from src/
 * (tsx or vitest already compile TypeScript) it does nothing.
 */
let ready: Promise<void> | undefined;

export function ensureTypeScriptLoader(): Promise<void> {
  ready ??= (async () => {
    if (!import.meta.url.endsWith('.js')) return;
    await import('../index.js');
    const { register } = await import('tsx/esm/api');
    register();
  })();
  return ready;
}
