import type { Pool } from 'pg';

/** A pool's connections now: lent out, idle, and the callers waiting for one. */
export interface PoolUsage {
  inUse: number;
  idle: number;
  waiting: number;
}

export function poolUsage(pool: Pool): PoolUsage {
  return { inUse: pool.totalCount - pool.idleCount, idle: pool.idleCount, waiting: pool.waitingCount };
}
