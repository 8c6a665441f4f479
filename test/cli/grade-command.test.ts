import { spawn } from 'node:child_process';
import path from 'node:path';
import { loadConfig, projectRoot } from '../../src/config';
import { openDatabase, type Database } from '../../src/db/database';
import { dropDatabase } from '../../src/db/ensure-database';
import { loadWorld } from '../../src/demo/load-world';
import { generateWorld } from '../../src/demo/world';
import { entityModelOf, HUB_DOMAINS } from '../../src/domains';
import { freshDatabaseUrl } from '../support/test-database';

let db: Database;

/** `npm run grade [-- --full]` as an operator runs it: the compiled command, with only the configuration in its environment. */
function grade(...args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(projectRoot, 'dist/src/cli/grade-enterprises.js'), ...args], {
      env: { PATH: process.env.PATH ?? '', DATABASE_URL: db.url, LOG_LEVEL: 'error' },
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, out: out.trim() }));
  });
}

beforeAll(async () => {
  db = await openDatabase(loadConfig({ DATABASE_URL: freshDatabaseUrl('gradecli'), LOG_LEVEL: 'error' }), entityModelOf(HUB_DOMAINS));
  await loadWorld(db.pool, generateWorld({ seed: 37, size: 0.01 }));
}, 60_000);
afterAll(async () => {
  await db?.close();
  if (db) await dropDatabase(db.url);
});

describe('npm run grade', () => {
  it('grades every operator with --full, and an incremental run after it writes nothing', async () => {
    const operators = (await db.pool.query<{ n: number }>('select count(distinct holder_uscc)::int as n from operator_licence')).rows[0].n;
    const full = await grade('--full');
    expect(full.code).toBe(0);
    expect(full.out).toMatch(
      new RegExp(
        `^full grading \\(rules [\\w.-]+\\): ${operators} enterprises graded, ${operators} grades written, ${operators} grade changes logged, 0 withdrawn$`,
      ),
    );
    const again = await grade();
    expect(again.code).toBe(0);
    expect(again.out).toMatch(/^incremental grading \(rules [\w.-]+\): \d+ enterprises graded, 0 grades written, 0 grade changes logged, 0 withdrawn$/);
  }, 60_000);
});
