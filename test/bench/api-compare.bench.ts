import 'reflect-metadata';
import { spawnHub, type SpawnedHub } from './spawn-hub';
import { loadWorld } from '../../src/demo/load-world';
import { generateWorld } from '../../src/demo/world';
import { postGraphQL } from '../support/http-post';
import { reusableToken } from './bench-tokens';
import { runBenchmark } from './bench-database';
import { throughput } from './load-measures';
import { apiWorkloadsOf } from './api-workloads';

const CLIENTS = 16;
/**
 * `npm run bench:api-compare -- <other checkout> [size] [seconds] [rounds]`: this build's hub
 * against another build's (a checkout of main, compiled), both with and without access control,
 * on issue 15's W1–W3 at c=16 over one world. Each round loads the four hubs in turn for
 * `seconds` each, so this shared machine's drift hits them alike; prints each one's median rps,
 * and the hub process's CPU time per request (user + system, from /proc), which the other jobs on
 * a shared machine do not change the way they change rps; then this build's ratios to the other's.
 * Both use this checkout's data directory (keys, trust).
 */
runBenchmark('apicompare', async (config, db) => {
  const other = process.argv[2];
  if (!other) throw new Error('usage: bench:api-compare -- <other checkout, compiled> [size] [seconds] [rounds]');
  const size = Number(process.argv[3] ?? '0.02');
  const seconds = Number(process.argv[4] ?? '4');
  const rounds = Number(process.argv[5] ?? '3');
  const world = generateWorld({ seed: 20211, size });
  await loadWorld(db.pool, world);
  await db.orm.em.fork().execute('analyze');
  const { openCase, workloads } = apiWorkloadsOf(world);
  const env = { XIETONG_DATA_DIR: config.dataDir };
  const builds = [
    { name: 'this', root: undefined },
    { name: 'other', root: other },
  ];
  const hubs: Array<{ label: string; hub: SpawnedHub; headers: Record<string, string> }> = [];
  for (const accessControl of [false, true])
    for (const build of builds) {
      const hub = await spawnHub(config.databaseUrl, { accessControl, env, root: build.root });
      const headers: Record<string, string> = accessControl
        ? {
            authorization: `Bearer ${await reusableToken(hub.graphqlUrl)}`,
            'x-purpose': 'case-investigation',
            'x-case-number': encodeURIComponent(openCase.caseNumber),
          }
        : {};
      hubs.push({ label: `${accessControl ? 'A' : 'B'} ${build.name}`, hub, headers });
    }
  try {
    await compare(hubs, workloads, seconds, rounds);
  } finally {
    await Promise.all(hubs.map((h) => h.hub.stop()));
  }
});

async function compare(
  hubs: ReadonlyArray<{ label: string; hub: SpawnedHub; headers: Record<string, string> }>,
  workloads: ReturnType<typeof apiWorkloadsOf>['workloads'],
  seconds: number,
  rounds: number,
): Promise<void> {
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(
    `| workload | ${hubs.map((h) => `${h.label} rps`).join(' | ')} | ${hubs.map((h) => `${h.label} CPU ms/request`).join(' | ')} | rps B, A this/other | CPU B, A this/other |`,
  );
  console.log(`|---|${hubs.map(() => '---|---|').join('')}---|---|`);
  for (const w of workloads) {
    // A hub closes a keep-alive connection idle for 5 s while the others are loaded: a request
    // that raced that close is sent again on a new connection.
    const send = (h: (typeof hubs)[number]) => () =>
      postGraphQL(h.hub.graphqlUrl, w.query, w.variables, h.headers).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ECONNRESET') throw error;
        return postGraphQL(h.hub.graphqlUrl, w.query, w.variables, h.headers);
      });
    for (const h of hubs) await throughput(send(h), CLIENTS, 1_000);
    const rps = hubs.map(() => [] as number[]);
    const cpu = hubs.map(() => [] as number[]);
    for (let round = 0; round < rounds; round++)
      for (const [i, h] of hubs.entries()) {
        const before = h.hub.cpuMs();
        const rate = await throughput(send(h), CLIENTS, seconds * 1000);
        rps[i].push(rate);
        cpu[i].push((h.hub.cpuMs() - before) / (rate * seconds));
      }
    const [r, c] = [rps.map(median), cpu.map(median)];
    console.log(
      `| ${w.name} | ${r.map((x) => x.toFixed(0)).join(' | ')} | ${c.map((x) => x.toFixed(2)).join(' | ')} | ${(r[0] / r[1]).toFixed(2)}, ${(r[2] / r[3]).toFixed(2)} | ${(c[0] / c[1]).toFixed(2)}, ${(c[2] / c[3]).toFixed(2)} |`,
    );
  }
}
