import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../src/config';
import { dropDatabase } from '../src/db/ensure-database';
import { freshDatabaseUrl } from './support/test-database';

// `npm test` compiles (tsc) before jest runs, so the hub's real entry point is here to spawn.
const MAIN = path.join(projectRoot, 'dist/src/main.js');

function run(env: Record<string, string>) {
  const child = spawn(process.execPath, [MAIN], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => { stdout += c.toString(); });
  child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, out: () => stdout, err: () => stderr };
}

describe('the hub process', () => {
  beforeAll(() => {
    if (!fs.existsSync(MAIN)) throw new Error(`${MAIN} is missing: run the tests through \`npm test\` (it compiles first)`);
  });

  it('refuses invalid configuration with one line naming the variable, and exit code 2', async () => {
    const hub = run({ PORT: 'eighty' });
    expect(await hub.exited).toBe(2);
    expect(hub.err().trim()).toBe('Invalid configuration: PORT must be a whole number from 0 to 65535, got "eighty"');
  });

  it('serves, migrates an empty database, and shuts down cleanly on SIGTERM', async () => {
    const url = freshDatabaseUrl('process');
    const hub = run({ DATABASE_URL: url, PORT: '0', LOG_LEVEL: 'error' });
    try {
      const ready = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`not ready: ${hub.out()} ${hub.err()}`)), 30_000);
        hub.child.stdout.on('data', () => {
          const match = /health (http:\/\/\S+)\/health/.exec(hub.out());
          if (match) {
            clearTimeout(timer);
            resolve(match[1]);
          }
        });
      });
      expect((await fetch(`${ready}/ready`)).status).toBe(200);
      hub.child.kill('SIGTERM');
      expect(await hub.exited).toBe(0);
      expect(hub.err()).toBe('');
    } finally {
      hub.child.kill('SIGKILL');
      await dropDatabase(url);
    }
  });
});
