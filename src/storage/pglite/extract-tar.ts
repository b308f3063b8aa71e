import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';

const BLOCK = 512;

/**
 * Writes the folders and regular files of a tar (the ustar that PGlite's dumpDataDir makes) under
 * `dir`, with their modes. Throws on any other kind of entry, or a name that leads out of `dir`.
 * A new embedded store is extracted so instead of through PGlite's loadDataDir, which unpacks into
 * its in-memory file system and copies each file out through the WebAssembly module (~0.65 s of
 * CPU more for the 40 MB of a new cluster).
 */
export function extractTar(tar: Uint8Array, dir: string): void {
  const root = resolve(dir);
  const bytes = Buffer.from(tar.buffer, tar.byteOffset, tar.byteLength);
  for (let offset = 0; offset + BLOCK <= bytes.length; ) {
    const header = bytes.subarray(offset, offset + BLOCK);
    if (header.every((byte) => byte === 0)) break;
    const field = (from: number, to: number) => {
      const raw = header.subarray(from, to);
      const end = raw.indexOf(0);
      return raw.subarray(0, end < 0 ? raw.length : end).toString('utf8');
    };
    const prefix = field(345, 500);
    const name = `${prefix ? `${prefix}/` : ''}${field(0, 100)}`;
    const size = Number.parseInt(field(124, 136).trim() || '0', 8);
    const mode = Number.parseInt(field(100, 108).trim() || '0', 8);
    const type = String.fromCharCode(header[156]!);
    const path = resolve(join(root, name));
    if (path !== root && !path.startsWith(root + sep)) throw new Error(`tar entry "${name}" is outside the target folder`);
    if (!Number.isFinite(size) || !Number.isFinite(mode)) throw new Error(`tar entry "${name}" has a bad header`);
    if (type === '5') mkdirSync(path, { recursive: true, mode: mode || 0o755 });
    else if (type === '0' || type === '\0') {
      const start = offset + BLOCK;
      if (start + size > bytes.length) throw new Error(`tar entry "${name}" is cut short`);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, bytes.subarray(start, start + size), { mode: mode || 0o644 });
    } else throw new Error(`tar entry "${name}" is of type "${type}", neither a file nor a folder`);
    offset += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
  }
}
