import { Pool } from 'pg';

/**
 * A connection as the tables' owner, for test set-up the hub itself may not do (truncating,
 * editing migrations, writing the police exchange): the hub's own pools act as the application role.
 */
export function ownerPool(url: string): Pool {
  const pool = new Pool({ connectionString: url, max: 2 });
  // A test dropping its database ends idle connections: not an error of the test's.
  pool.on('error', () => undefined);
  return pool;
}
