/**
 * The files of a new project (`sluice init`): paths relative to the project folder, and their text.
 * `dependency` is what package.json asks for as `sluice` (a `file:` path or a version range);
 * `devDependencies` are the TypeScript tooling the running copy of Sluice is built with.
 */
export function projectTemplate(args: { name: string; dependency: string; devDependencies: Readonly<Record<string, string>> }): Record<string, string> {
  const packageJson = {
    name: args.name,
    private: true,
    type: 'module',
    scripts: { check: 'sluice check', materialize: "sluice materialize --select '*'", dev: 'sluice dev', typecheck: 'tsc --noEmit' },
    dependencies: { sluice: args.dependency },
    devDependencies: args.devDependencies,
  };
  const tsconfig = {
    compilerOptions: {
      target: 'ES2022',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      strict: true,
      noUncheckedIndexedAccess: true,
      verbatimModuleSyntax: true,
      skipLibCheck: true,
      noEmit: true,
      types: ['node'],
    },
    include: ['assets', 'schedules'],
  };
  return {
    'package.json': `${JSON.stringify(packageJson, null, 2)}\n`,
    'tsconfig.json': `${JSON.stringify(tsconfig, null, 2)}\n`,
    '.gitignore': '# Sluice keeps its embedded run store here\n.sluice/\nnode_modules/\n# what the example assets write\noutput/\n',
    'assets/greetings.ts': GREETINGS,
    'schedules/daily.ts': DAILY,
    'README.md': readme(args.name),
  };
}

const GREETINGS = `import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { defineAsset, defineAssetCheck } from 'sluice';

/** Where the example assets write their data (gitignored). */
const OUTPUT = new URL('../output/', import.meta.url);

/** A few greetings, written to output/greetings.json. */
export const greetings = defineAsset({
  key: 'greetings',
  group: 'example',
  description: 'A few greetings, written to output/greetings.json',
  async materialize(ctx) {
    const rows = ['hello', 'hallo', 'bonjour', 'hola'].map((word, i) => ({ id: i + 1, word }));
    await mkdir(OUTPUT, { recursive: true });
    await writeFile(new URL('greetings.json', OUTPUT), JSON.stringify(rows, null, 2));
    ctx.log.info({ rows: rows.length }, 'wrote greetings');
    return { metadata: { rows: rows.length } };
  },
});

/** A blocking check: when it fails, what is downstream of greetings is skipped. */
export const greetingsNotEmpty = defineAssetCheck({
  asset: greetings,
  name: 'not_empty',
  blocking: true,
  async check() {
    const rows = JSON.parse(await readFile(new URL('greetings.json', OUTPUT), 'utf8')) as unknown[];
    return { passed: rows.length > 0, metadata: { rows: rows.length } };
  },
});

/** Depends on greetings: the number of letters of each, written to output/letters.json. */
export const letters = defineAsset({
  key: 'letters',
  deps: [greetings],
  group: 'example',
  async materialize() {
    const rows = JSON.parse(await readFile(new URL('greetings.json', OUTPUT), 'utf8')) as Array<{ word: string }>;
    const counts = Object.fromEntries(rows.map((row) => [row.word, row.word.length]));
    await writeFile(new URL('letters.json', OUTPUT), JSON.stringify(counts, null, 2));
    return { metadata: { words: rows.length } };
  },
});
`;

const DAILY = `import { defineSchedule } from 'sluice';

/** Every asset, every day at 06:00 UTC, once started: \`npx sluice schedules start daily\`. */
export const daily = defineSchedule({
  name: 'daily',
  cron: '0 6 * * *',
  timezone: 'UTC',
  select: '*',
  description: 'all assets, daily at 06:00 UTC',
});
`;

function readme(name: string): string {
  return `# ${name}

A Sluice project: assets in \`assets/\`, schedules in \`schedules/\`.

\`\`\`sh
npm install
npx sluice check                        # load and validate everything; exit 2 with every problem listed
npx sluice materialize --select '*'     # run every asset once; runs are recorded in .sluice/
npx sluice dev                          # daemon + dashboard; reloads assets/ and schedules/ as you edit
\`\`\`

\`npx sluice --help\` lists every command. The run store is an embedded database under \`.sluice/\`
(gitignored); set \`SLUICE_DATABASE_URL\` to use a Postgres server instead.
`;
}
