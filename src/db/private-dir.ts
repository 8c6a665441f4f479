import fs from 'node:fs';
import path from 'node:path';

/**
 * Creates `dir` readable by its owner only, without narrowing its parents: `mkdirSync` with
 * `recursive` would give every directory it creates that mode, and a data directory closed to
 * others keeps the embedded PostgreSQL (running as its own user) out of its own data.
 */
export function ensurePrivateDir(dir: string): void {
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
}
