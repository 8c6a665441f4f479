import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../src/config';

export interface SpawnedHub {
  graphqlUrl: string;
  /**
   * CPU time (user and system, ms) the hub's process has used so far, from /proc (Linux, 100
   * ticks a second): on a shared machine, what a request costs the hub whatever else runs.
   */
  cpuMs(): number;
  /** Stops the hub and resolves when its process has exited. */
  stop(): Promise<void>;
}

/**
 * The node flags the hub runs with (package.json's `config.hubNodeFlags`, which `npm start` and
 * `npm run serve` pass to node): a benchmark times the hub, and the stack's floor, as deployed.
 */
export const HUB_NODE_FLAGS: readonly string[] = (
  JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { config: { hubNodeFlags: string } }
).config.hubNodeFlags
  .split(' ')
  .filter(Boolean);

/**
 * Starts the compiled hub (`dist/src/main.js`) on a free port over `databaseUrl`; with
 * `accessControl: false`, the benchmark-only entry that serves without it (nothing in the hub's
 * own configuration can switch it off); `env` adds to its environment (its configuration);
 * `nodeArgs` go to node before the entry (a profiler's flags); `root` runs another build's `dist`
 * (another checkout, compiled) instead of this one's; `entry` another server printing the same line
 * (the stack's floor, `graphql-floor.ts`).
 */
export function spawnHub(
  databaseUrl: string,
  options: { accessControl?: boolean; env?: Record<string, string>; nodeArgs?: string[]; root?: string; entry?: string } = {},
): Promise<SpawnedHub> {
  const entry = options.entry ?? (options.accessControl === false ? 'dist/test/bench/hub-without-access-control.js' : 'dist/src/main.js');
  const child = spawn(process.execPath, [...HUB_NODE_FLAGS, ...(options.nodeArgs ?? []), path.join(options.root ?? projectRoot, entry)], {
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: '0', LOG_LEVEL: 'error', NODE_ENV: 'production', ...options.env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /GraphQL at (http:\/\/\S+)/.exec(out);
      if (match) {
        resolve({
          graphqlUrl: match[1],
          cpuMs: () => {
            const fields = fs.readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
            return (Number(fields[11]) + Number(fields[12])) * 10;
          },
          stop: () =>
            new Promise<void>((done) => {
              child.once('exit', () => done());
              child.kill('SIGTERM');
            }),
        });
      }
    });
    child.once('exit', (code) => reject(new Error(`hub exited with ${code} before it was ready`)));
  });
}
