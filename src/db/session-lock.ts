import { Client } from 'pg';

/**
 * Runs `work` while holding a session advisory lock on a connection of its own, so instances
 * starting together take turns. The lock ends with its session: a process killed while holding it
 * frees it. Lost mid-work (a server restart), the lock is gone with its session and `work`'s own
 * statements fail with it rather than on an unheard 'error'.
 */
export async function withSessionLock<T>(url: string, lockId: number, work: () => Promise<T>): Promise<T> {
  const lock = new Client({ connectionString: url });
  lock.on('error', () => undefined);
  await lock.connect();
  try {
    await lock.query('select pg_advisory_lock($1)', [lockId]);
    return await work();
  } finally {
    await lock.end();
  }
}
