import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { EMBEDDED_BIN, initCluster, serverUser, startServer, stopServer } from './private-postgres';

/** A private primary PostgreSQL and a real streaming replica of it, on loopback ports of their own. */
export interface PrimaryAndReplica {
  /** `postgresql://…/postgres` of each server. */
  primaryUrl: string;
  replicaUrl: string;
  /** Ends the replica's process at once (SIGKILL): the replica goes down. */
  killReplica(): void;
  stop(): Promise<void>;
}

/** Whether this machine can run the private servers (as root it needs a `postgres` user). */
export function canRunPrivateServers(): boolean {
  try {
    serverUser();
    return fs.existsSync(path.join(EMBEDDED_BIN, 'postgres'));
  } catch {
    return false;
  }
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
  initCluster(EMBEDDED_BIN, primaryData);
  await stopServer(await startServer(EMBEDDED_BIN, primaryData, primaryPort));
  execFileSync('cp', ['-a', primaryData, replicaData]);
  fs.writeFileSync(path.join(replicaData, 'standby.signal'), '');
  fs.appendFileSync(
    path.join(replicaData, 'postgresql.auto.conf'),
    `primary_conninfo = 'host=127.0.0.1 port=${primaryPort} user=postgres application_name=hub_test_replica'\nhot_standby = on\n`,
  );
  if ('uid' in user) execFileSync('chown', ['-R', `${user.uid}:${user.gid}`, replicaData]);
  const primary = await startServer(EMBEDDED_BIN, primaryData, primaryPort);
  const replica = await startServer(EMBEDDED_BIN, replicaData, replicaPort, /ready to accept read-only connections/);

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
