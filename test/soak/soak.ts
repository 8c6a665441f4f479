import { machineBin } from '../support/private-postgres';
import { Command, InvalidArgumentError } from 'commander';
import { loadConfig } from '../../src/config';
import { FAULTS, runSoak, type Fault } from './soak-run';

/**
 * `npm run soak -- --minutes N --rps R [--faults hub-kill,worker-kill,slow-db,pg-restart,redis-restart]
 * [--size S] [--shared-server]`: two hubs and two sync workers over a fresh database on a private
 * embedded PostgreSQL (or, with --shared-server, DATABASE_URL's loopback server, never restarted),
 * Redis queues when REDIS_URL is set (with redis-restart: on a private redis-server, as REDIS_URL's
 * is never restarted), under a load of the README's reads, with faults; prints the report, exits 1
 * when an exactness check fails. By default every fault, redis-restart only when REDIS_URL is set.
 */
const positive = (value: string) => {
  const n = Number(value);
  if (!(n > 0)) throw new InvalidArgumentError('must be a positive number');
  return n;
};
const faults = (value: string): Fault[] => {
  const names = value ? value.split(',') : [];
  for (const name of names) if (!FAULTS.includes(name as Fault)) throw new InvalidArgumentError(`unknown fault ${name} (known: ${FAULTS.join(', ')})`);
  return names as Fault[];
};

const program = new Command('soak')
  .option('--minutes <n>', 'how long the load runs (at most 120)', positive, 2)
  .option('--rps <n>', 'requests per second (at most 500)', positive, 5)
  .option('--faults <list>', `faults to inject once each, comma-separated (${FAULTS.join(', ')})`, faults)
  .option('--size <n>', 'size of the synthetic world', positive, 0.02)
  .option('--embedded-port <n>', 'port of the private embedded PostgreSQL', positive, 54349)
  .option('--shared-server', "run on DATABASE_URL's server instead of a private embedded PostgreSQL (no pg-restart fault then)")
  .option('--machine-postgres', "the private server from the machine's PostgreSQL binaries (pg_config --bindir) instead of the embedded package's")
  .parse();
const options = program.opts<{
  minutes: number;
  rps: number;
  faults?: Fault[];
  size: number;
  embeddedPort: number;
  sharedServer?: boolean;
  machinePostgres?: boolean;
}>();

async function main(): Promise<void> {
  const config = loadConfig();
  if (options.sharedServer && !config.databaseUrl) throw new Error('--shared-server needs DATABASE_URL (a loopback PostgreSQL server)');
  const serverBin = options.machinePostgres ? machineBin() : null;
  if (options.machinePostgres && !serverBin) throw new Error('--machine-postgres needs a machine PostgreSQL (pg_config --bindir with postgres and initdb)');
  const chosen = options.faults ?? FAULTS.filter((f) => f !== 'redis-restart' || config.redisUrl);
  const report = await runSoak({
    minutes: Math.min(options.minutes, 120),
    rps: Math.min(options.rps, 500),
    // The machine's server is shared: never restarted.
    faults: options.sharedServer ? chosen.filter((f) => f !== 'pg-restart') : chosen,
    size: options.size,
    serverUrl: options.sharedServer ? config.databaseUrl : null,
    embeddedPort: options.embeddedPort,
    serverBin,
    redisUrl: config.redisUrl,
    log: (line) => process.stderr.write(`${line}\n`),
  });
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  process.exit(report.ok ? 0 : 1);
}

main().catch((error: unknown) => {
  process.stderr.write(`soak failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
