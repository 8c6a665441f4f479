import 'reflect-metadata';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnHub } from './spawn-hub';
import { loadWorld } from '../../src/demo/load-world';
import { generateWorld } from '../../src/demo/world';
import { postGraphQL } from '../support/http-post';
import { reusableToken } from './bench-tokens';
import { runBenchmark } from './bench-database';
import { throughput } from './load-measures';
import { apiWorkloadsOf } from './api-workloads';
import { summariseProfile } from './cpu-profile-summary';
import { profileArguments } from './profile-arguments';

const CLIENTS = 16;

/**
 * `npm run bench:api-profile -- [size] [seconds] [top] [W1|W2|W3]`: where a hub's CPU goes on issue 15's
 * workloads. Spawns the hub without access control (B) and with it (A) under `node --cpu-prof`,
 * loads each with 16 clients sending W1, W2 and W3 in turn for `seconds`, and prints the
 * functions with the most self time and the most inclusive time, and self time by package / hub
 * directory (`summariseProfile`).
 */
runBenchmark('apiprofile', async (config, db) => {
  // `only`: a workload's name prefix (W1, W2, W3) to profile it alone; all three in turn by default.
  const { size, seconds, top, only } = profileArguments({ size: 0.02, seconds: 15, top: 40 });
  const world = generateWorld({ seed: 20211, size });
  await loadWorld(db.pool, world);
  await db.orm.em.fork().execute('analyze');
  const { openCase, workloads: all } = apiWorkloadsOf(world);
  const workloads = all.filter((w) => !only || w.name.startsWith(only));
  for (const accessControl of [false, true]) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'xietong-cpu-'));
    const hub = await spawnHub(config.databaseUrl, { accessControl, nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`] });
    const headers: Record<string, string> = accessControl
      ? {
          authorization: `Bearer ${await reusableToken(hub.graphqlUrl)}`,
          'x-purpose': 'case-investigation',
          'x-case-number': encodeURIComponent(openCase.caseNumber),
        }
      : {};
    let turn = 0;
    const next = () => {
      const w = workloads[turn++ % workloads.length];
      return postGraphQL(hub.graphqlUrl, w.query, w.variables, headers);
    };
    await throughput(next, CLIENTS, 2_000);
    const rps = await throughput(next, CLIENTS, seconds * 1000);
    await hub.stop();
    const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
    if (!file) throw new Error(`no profile written in ${dir}`);
    console.log(
      `\n## hub ${accessControl ? 'with' : 'without'} access control: ${rps.toFixed(0)} rps over ${workloads.map((w) => w.name.slice(0, 2)).join(', ')} at c=${CLIENTS}`,
    );
    console.log(summariseProfile(JSON.parse(readFileSync(path.join(dir, file), 'utf8')), top, seconds * 1000));
    rmSync(dir, { recursive: true, force: true });
  }
});
