import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Pool } from 'pg';
import { loadConfig, projectRoot } from '../src/config';
import { dropDatabase } from '../src/db/ensure-database';
import { freshDatabaseUrl } from './support/test-database';
import { announceWorld, appendToRunLog } from './support/test-logger';

// `npm test` compiles (tsc) before jest runs, so the hub's real entry point is here to spawn.
const MAIN = path.join(projectRoot, 'dist/src/main.js');

function run(env: Record<string, string>) {
  const child = spawn(process.execPath, [MAIN, ...(env.DEMO_SIZE ? ['--demo'] : [])], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => {
    stdout += c.toString();
  });
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
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

  it("is started by npm with the hub's node flags, the ones the benchmarks time it with", async () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as {
      config: { hubNodeFlags: string };
      scripts: Record<string, string>;
    };
    // A young generation of 64 MB: a month of flow (5,000 cells) allocates ~11 MB per request.
    expect(pkg.config.hubNodeFlags.split(' ')).toContain('--max-semi-space-size=64');
    for (const script of ['start', 'serve']) expect(pkg.scripts[script]).toMatch(/ node \$npm_package_config_hubNodeFlags dist\/src\/main\.js/);
    // npm expands the flags into node's command line: the hub starts (and refuses this configuration as it should).
    const npm = spawn('npm', ['run', '-s', 'serve'], { cwd: projectRoot, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: 'eighty' } });
    let stderr = '';
    npm.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((resolve) => npm.once('exit', resolve));
    expect(stderr).toContain('Invalid configuration: PORT must be a whole number from 0 to 65535, got "eighty"');
    expect(code).not.toBe(0);
  });

  it('in demo mode refuses unusable fault modes the same way, before starting anything', async () => {
    const hub = run({ DEMO_SIZE: '0.01', DEMO_FAULTS: '{"police":{}}' });
    expect(await hub.exited).toBe(2);
    expect(hub.err().trim()).toBe('Invalid configuration: DEMO_FAULTS names an unknown system "police" (known: transport, registry, credit, exchange)');
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

  it('in demo mode loads the world and keeps it in sync with the simulated agency systems', async () => {
    const url = freshDatabaseUrl('demo');
    const spawned = Date.now();
    const hub = run({
      DATABASE_URL: url,
      PORT: '0',
      LOG_LEVEL: 'debug',
      DEMO_SIZE: '0.01',
      QUEUE_PREFIX: `xt_demo_${process.pid}`,
      ...(loadConfig().redisUrl ? { REDIS_URL: loadConfig().redisUrl! } : {}),
    });
    const db = new Pool({ connectionString: url });
    try {
      const streams = async () => {
        try {
          return (await db.query<{ n: number }>(`select count(distinct stream)::int as n from sync_run where status = 'SUCCEEDED'`)).rows[0].n;
        } catch {
          return 0; // the hub has not created the database yet
        }
      };
      for (let i = 0; i < 120 && (await streams()) < 11; i++) await new Promise((resolve) => setTimeout(resolve, 500));
      expect(await streams()).toBe(11);
      // Clues within a minute of the start: the world's planted patterns, derived as soon as their inputs are loaded.
      const planted = ['CLONED_PLATE', 'ILLEGAL_OPERATION', 'OVERLOAD'];
      let kinds: string[] = [];
      while (Date.now() - spawned < 60_000) {
        kinds = (await db.query<{ kind: string }>(`select distinct kind from clue where deleted_at is null`)).rows.map((r) => r.kind);
        if (planted.every((k) => kinds.includes(k))) break;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      expect(kinds).toEqual(expect.arrayContaining(planted));
      const { rows } = await db.query<{ inserted: number; updated: number }>(
        `select sum(inserted)::int as inserted, sum(updated)::int as updated from sync_run where stream <> 'captures'`,
      );
      // The simulators serve exactly the world the demo loaded: nothing to change.
      expect(rows[0]).toEqual({ inserted: 0, updated: 0 });
      // It prints ready-to-paste tokens: the analyst's works as an analyst, again and again.
      // The banner comes once the hub serves, which can be after the demo's first syncs finished.
      // The tokens follow the banner once the demo has minted them.
      const tokenLines = () => hub.out().match(/^ {2}eyJ[\w-]+\.[\w-]+\.[\w-]+$/gm) ?? [];
      for (let i = 0; i < 240 && !(/GraphQL at http/.test(hub.out()) && tokenLines().length >= 5); i++)
        await new Promise((resolve) => setTimeout(resolve, 250));
      const graphqlUrl = /GraphQL at (http:\/\/\S+)/.exec(hub.out())![1];
      const tokens = tokenLines().map((line) => line.trim());
      expect(tokens).toHaveLength(5);
      const ask = () =>
        fetch(graphqlUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[1]}` },
          body: JSON.stringify({ query: 'query ProcessTestAccess { myAccess { agency roles } }' }),
        });
      for (let i = 0; i < 3; i++) expect(await (await ask()).json()).toEqual({ data: { myAccess: { agency: 'suzhou-transport', roles: ['analyst'] } } });
      hub.child.kill('SIGTERM');
      expect(await hub.exited).toBe(0);
      // The log is JSON lines on stderr, a request line for each ask among them; what is printed
      // for people (the URL, the tokens) is on stdout and is no log line.
      const logged = hub
        .err()
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(
        logged.filter((l) => l.msg === 'request' && l.status === 200 && l.operationName === 'ProcessTestAccess' && (l.roles as string[]).includes('analyst')),
      ).toHaveLength(3);
      expect(logged.some((l) => l.msg === 'sync run finished' && l.system === 'CHECKPOINT_EXCHANGE')).toBe(true);
      expect(hub.out()).not.toContain('"level"');
    } finally {
      // Scanned with the run's log for the demo world's personal data.
      announceWorld({ seed: loadConfig({}).demoSeed, size: 0.01 });
      if (hub.err()) appendToRunLog(hub.err());
      hub.child.kill('SIGKILL');
      await db.end();
      await dropDatabase(url);
    }
  }, 90_000);
});
