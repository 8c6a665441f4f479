import 'reflect-metadata';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadWorld } from '../../src/demo/load-world';
import { generateWorld } from '../../src/demo/world';
import { postGraphQL } from '../support/http-post';
import { hubAccessToken } from '../support/oauth-client';
import { runBenchmark } from './bench-database';
import { summariseProfile } from './cpu-profile-summary';
import { throughput } from './load-measures';
import { spawnHub } from './spawn-hub';

/**
 * `npm run bench:reports-profile -- [size] [seconds] [top] [cases|flow|weighings]`: where the hub's
 * CPU goes answering the report queries of `bench:reports` as the analyst (access control, suppression,
 * audit): the hub runs under `node --cpu-prof` while 2 clients repeat one query; prints the request
 * rate and the profile's busiest functions and places (see `summariseProfile`).
 */
runBenchmark('reports-profile', async (config, db) => {
  const size = Number(process.argv[2] ?? '0.5');
  const seconds = Number(process.argv[3] ?? '15');
  const top = Number(process.argv[4] ?? '30');
  const only = process.argv[5];
  const world = generateWorld({ seed: 20211, size });
  await loadWorld(db.pool, world);
  await db.orm.em.fork().execute('analyze');
  const end = world.options.endDate;
  const yearAgo = `${Number(end.slice(0, 4)) - 1}${end.slice(4, 10)}`;
  const monthBefore = new Date(Date.UTC(Number(end.slice(0, 4)), Number(end.slice(5, 7)) - 2, 1)).toISOString().slice(0, 10);
  const year = { from: `${yearAgo}T00:00:00+08:00`, to: `${end}T00:00:00+08:00` };
  const month = { from: `${monthBefore}T00:00:00+08:00`, to: `${end}T00:00:00+08:00` };
  const cells = '{ source truncated cells { keys { value } count } }';
  const queries: Record<string, { query: string; variables: Record<string, unknown> }> = {
    cases: {
      query: `query($from: DateTime!, $to: DateTime!) { caseStats(filter: { from: $from, to: $to }, groupBy: [MONTH, DIVISION, VIOLATION_CODE], measures: [COUNT], first: 5000) ${cells} }`,
      variables: year,
    },
    flow: {
      query: `query($from: DateTime!, $to: DateTime!) { captureStats(window: { from: $from, to: $to }, groupBy: [HOUR, CHECKPOINT], measures: [COUNT], first: 5000) ${cells} }`,
      variables: month,
    },
    weighings: {
      query: `query($from: DateTime!, $to: DateTime!) { weighingStats(filter: { from: $from, to: $to }, groupBy: [STATION, MONTH], measures: [COUNT, OVERLOADED, OVERLOAD_RATE, MAX_RATIO], first: 5000) { source truncated cells { keys { value } count values { measure value } } } }`,
      variables: year,
    },
  };
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
