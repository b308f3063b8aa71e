import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { extractTar } from '../../src/storage/pglite/extract-tar.js';

/** One ustar entry: a 512-byte header (name, mode, size, type) and the data padded to 512 bytes. */
function entry(name: string, type: '0' | '5' | '2', data = '', mode = 0o644): Buffer {
  const header = Buffer.alloc(512);
  header.write(name, 0, 100, 'utf8');
  header.write(`${mode.toString(8).padStart(7, '0')}\0`, 100, 8, 'ascii');
  header.write(`${Buffer.byteLength(data).toString(8).padStart(11, '0')}\0`, 124, 12, 'ascii');
  header.write(type, 156, 1, 'ascii');
  header.write('ustar\0', 257, 6, 'ascii');
  const body = Buffer.alloc(Math.ceil(Buffer.byteLength(data) / 512) * 512);
  body.write(data, 0, 'utf8');
  return Buffer.concat([header, body]);
}
const tar = (...entries: Buffer[]) => Buffer.concat([...entries, Buffer.alloc(1024)]);

describe('extractTar', () => {
  const dirs: string[] = [];
  const fresh = () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-untar-'));
    dirs.push(dir);
    return dir;
  };
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('writes the folders and files of a dump (absolute names, as PGlite writes them) under the folder, with their modes', () => {
    const dir = fresh();
    const big = 'x'.repeat(1300);
    extractTar(tar(entry('/PG_VERSION', '0', '17\n', 0o600), entry('/base', '5', '', 0o755), entry('/base/1', '5'), entry('/base/1/112', '0', big), entry('/global/empty', '0', '')), dir);
    expect(readFileSync(join(dir, 'PG_VERSION'), 'utf8')).toBe('17\n');
    expect(statSync(join(dir, 'PG_VERSION')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, 'base', '1', '112'), 'utf8')).toBe(big);
    expect(readFileSync(join(dir, 'global', 'empty'), 'utf8')).toBe('');
  });

  it('refuses a name that leads out of the folder, an entry of another kind, and a file cut short', () => {
    const dir = fresh();
    expect(() => extractTar(tar(entry('../escaped', '0', 'x')), dir)).toThrow(/outside the target folder/);
    expect(existsSync(join(dir, '..', 'escaped'))).toBe(false);
    expect(() => extractTar(tar(entry('/link', '2')), dir)).toThrow(/neither a file nor a folder/);
    expect(() => extractTar(entry('/cut', '0', 'y'.repeat(2000)).subarray(0, 1024), dir)).toThrow(/cut short/);
  });
});
