import 'reflect-metadata';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadWorld } from '../../src/demo/load-world';
import { generateWorld } from '../../src/demo/world';
import { postGraphQL } from '../support/http-post';
import { hubAccessToken } from '../support/oauth-client';
import { runBenchmark } from './bench-database';
import { reportQueries } from './report-queries';
import { summariseProfile } from './cpu-profile-summary';
import { throughput } from './load-measures';
import { profileArguments } from './profile-arguments';
import { spawnHub } from './spawn-hub';

/**
 * `npm run bench:reports-profile -- [size] [seconds] [top] [cases|flow|weighings]`: where the hub's
 * CPU goes answering the report queries of `bench:reports` as the analyst (access control, suppression,
 * audit): the hub runs under `node --cpu-prof` while 2 clients repeat one query; prints the request
 * rate and the profile's busiest functions and places (see `summariseProfile`).
 */
runBenchmark('reports-profile', async (config, db) => {
  const { size, seconds, top, only } = profileArguments({ size: 0.5, seconds: 15, top: 30 });
  const world = generateWorld({ seed: 20211, size });
  await loadWorld(db.pool, world);
  await db.orm.em.fork().execute('analyze');
  const { cases, flow, weighings } = reportQueries(world);
  const queries: Record<string, { query: string; variables: Record<string, unknown> }> = { cases, flow, weighings };
  const dir = mkdtempSync(path.join(os.tmpdir(), 'xietong-cpu-'));
  const hub = await spawnHub(config.databaseUrl, { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`] });
  const token = (await hubAccessToken(hub.graphqlUrl.replace(/\/graphql$/, ''), 'suzhou-transport', 'role:analyst')).access_token;
  const headers = { authorization: `Bearer ${token}`, 'x-purpose': 'statistics' };
  const chosen = Object.entries(queries).filter(([name]) => !only || name === only);
  for (const [name, q] of chosen) {
    const answer = JSON.parse(await postGraphQL(hub.graphqlUrl, q.query, q.variables, headers)) as { errors?: unknown };
    if (answer.errors) throw new Error(`${name}: ${JSON.stringify(answer.errors)}`);
  }
  let turn = 0;
  const next = () => {
    const [, q] = chosen[turn++ % chosen.length];
    return postGraphQL(hub.graphqlUrl, q.query, q.variables, headers);
  };
  await throughput(next, 2, 2_000);
  const rps = await throughput(next, 2, seconds * 1000);
  await hub.stop();
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no profile written in ${dir}`);
  console.log(`\n## hub with access control: ${rps.toFixed(1)} rps over ${chosen.map(([n]) => n).join(', ')} at c=2`);
  console.log(summariseProfile(JSON.parse(readFileSync(path.join(dir, file), 'utf8')), top, seconds * 1000));
  rmSync(dir, { recursive: true, force: true });
});
