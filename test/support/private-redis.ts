import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** Where the tests and the soak look for a Redis server of their own. */
export const REDIS_SERVER = '/usr/bin/redis-server';

/** A Redis server of a test's own, on loopback, which it may stop and start (the machine's is shared). */
export interface PrivateRedis {
  url: string;
  /** SHUTDOWN as an operator's restart does (SIGTERM: the append-only file is flushed), resolved once it exited. */
  stop(): Promise<void>;
  /** Starts it again on the same port and files, resolved once it accepts connections. */
  start(): Promise<void>;
}

export const redisServerAvailable = (): boolean => fs.existsSync(REDIS_SERVER);

/** A port nobody listens on now. */

/**
 * Starts `redis-server` on `port` with its files under `dir`, persisting every write (appendfsync
 * always), so a restart loses nothing a client was told was written: what a deployment's Redis
 * for queues must do.
 */
export async function startPrivateRedis(dir: string, port: number): Promise<PrivateRedis> {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  let child: ChildProcess | null = null;
  const start = () =>
    new Promise<void>((resolve, reject) => {
      const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--appendfsync', 'always', '--save', ''];
      const started = spawn(REDIS_SERVER, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      child = started;
      let out = '';
      const timer = setTimeout(() => reject(new Error(`redis-server did not start within 20 s: ${out}`)), 20_000);
      started.stdout!.on('data', (c: Buffer) => {
        out += c.toString();
        if (/Ready to accept connections/.test(out)) {
          clearTimeout(timer);
          resolve();
        }
      });
      started.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited (${code}): ${out}`));
      });
    });
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: async () => {
      const running = child;
      child = null;
      if (!running || running.exitCode !== null) return;
      const exited = new Promise((resolve) => running.once('exit', resolve));
      running.kill('SIGTERM');
      await exited;
    },
    start,
  };
}

/** The directory a private Redis of `label` keeps its files in. */
export const privateRedisDir = (dataDir: string, label: string): string => path.join(dataDir, `private-redis-${label}`);
