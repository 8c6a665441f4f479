import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensurePrivateDir } from './private-dir';

describe('ensurePrivateDir', () => {
  it('closes the directory itself to others but leaves the parents it creates open', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'xt-private-'));
    try {
      const data = path.join(root, 'data');
      const keys = path.join(data, 'keys', 'dev');
      ensurePrivateDir(keys);
      expect(fs.statSync(keys).mode & 0o777).toBe(0o700);
      // The embedded PostgreSQL runs as its own user and must pass through the data directory.
      expect(fs.statSync(data).mode & 0o011).not.toBe(0);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
