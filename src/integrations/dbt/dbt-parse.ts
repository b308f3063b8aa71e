import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { DbtError } from './dbt-error.js';
import { dbtEnv } from './dbt-env.js';
import { keepPartialParse, projectCacheDir, seedPartialParse } from './partial-parse.js';

/** Folders of a dbt project that are dbt's output, not its input. */
const OUTPUT = new Set(['target', 'logs', '.git', 'node_modules']);
const LAST_LINES = 15;

export interface DbtParseOptions {
  readonly command: readonly string[];
  readonly projectDir: string;
  /** Profile and var arguments (they change what dbt parses). */
  readonly args: readonly string[];
  readonly env: NodeJS.ProcessEnv;
}

/**
 * The manifest of the project as `dbt parse` makes it, cached in the per-user cache by a hash of
 * the project's files (every file but dbt's own output folders) and the arguments: the first load
 * of a project (or of a changed one) runs dbt (a few seconds), later loads read the cached file.
 * Synchronous, since definitions are read at import. Throws DBT_COMMAND_NOT_FOUND when there is no
 * dbt, DBT_PARSE_FAILED with dbt's last lines and the command to run when parsing fails (a profile
 * error included).
 */
export function dbtParseSync(options: DbtParseOptions): string {
  const dir = projectCacheDir(options.projectDir);
  const manifest = join(dir, `manifest-${projectHash(options.projectDir, options.args, options.env)}.json`);
  if (existsSync(manifest)) return manifest;
  const targetPath = mkdtempSync(join(tmpdir(), 'sluice-dbt-parse-'));
  try {
    seedPartialParse(options.projectDir, targetPath);
    const [program, ...lead] = options.command;
    const args = [...lead, 'parse', '--target-path', targetPath, '--log-format', 'text', '--no-use-colors', ...options.args];
    const result = spawnSync(program!, args, { cwd: options.projectDir, env: dbtEnv(options.env), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    if (result.error) {
      const code = (result.error as NodeJS.ErrnoException).code;
      throw new DbtError(
        code === 'ENOENT' ? 'DBT_COMMAND_NOT_FOUND' : 'DBT_COMMAND_FAILED',
        code === 'ENOENT'
          ? `dbt command "${program}" not found, needed to parse dbt project ${options.projectDir} (it has no target/manifest.json): install dbt (pip install dbt-core dbt-postgres; \`scripts/services.sh up\` makes a venv), pass dbtCliRunner({ command }), or use nativeRunner()`
          : `could not start dbt command "${program}": ${result.error.message}`,
        { command: program, projectDir: options.projectDir },
        result.error,
      );
    }
    const written = join(targetPath, 'manifest.json');
    if (result.status !== 0 || !existsSync(written)) {
      const lines = `${result.stdout ?? ''}\n${result.stderr ?? ''}`.split('\n').filter((l) => l.trim() !== '').slice(-LAST_LINES);
      throw new DbtError(
        'DBT_PARSE_FAILED',
        `\`dbt parse\` of dbt project ${options.projectDir} failed (exit ${result.status ?? result.signal}); last lines:\n${lines.join('\n')}\nrun \`${[program, ...lead, 'parse', ...options.args].join(' ')}\` in ${options.projectDir} (and \`dbt debug\` for a profile error) to see dbt's own output`,
        { projectDir: options.projectDir, exitCode: result.status, lastLines: lines },
      );
    }
    keepPartialParse(options.projectDir, targetPath);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const partial = `${manifest}.${process.pid}.partial`;
    copyFileSync(written, partial);
    renameSync(partial, manifest);
    return manifest;
  } finally {
    rmSync(targetPath, { recursive: true, force: true });
  }
}

/**
 * A hash of every input file of the project (path and content), the parse arguments, the profile
 * dbt would read (it renders `target.schema` into sources) and the DBT_ environment variables.
 */
function projectHash(projectDir: string, args: readonly string[], env: NodeJS.ProcessEnv): string {
  const hash = createHash('sha256').update(JSON.stringify(args));
  const profilesAt = args.indexOf('--profiles-dir');
  const profileDirs = profilesAt >= 0 ? [resolve(projectDir, args[profilesAt + 1] ?? '.')] : [env.DBT_PROFILES_DIR, projectDir, join(homedir(), '.dbt')].filter((d): d is string => d !== undefined);
  const profile = profileDirs.map((d) => join(d, 'profiles.yml')).find((file) => existsSync(file));
  if (profile) hash.update(readFileSync(profile));
  hash.update(JSON.stringify(Object.entries(env).filter(([k]) => k.startsWith('DBT_')).sort()));
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      // dbt's output folders, and dot-files (.git, the .user.yml dbt keeps in a profiles folder).
      if ((OUTPUT.has(entry.name) && folder === projectDir) || entry.name.startsWith('.')) continue;
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) hash.update(relative(projectDir, path)).update('\0').update(readFileSync(path)).update('\0');
    }
  };
  walk(projectDir);
  return hash.digest('hex').slice(0, 24);
}
