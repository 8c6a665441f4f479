import type { Pool } from 'pg';

/**
 * What an attacker with the table owner's rights does to the audit trail: switch its append-only
 * guard off, edit, switch it back on. The hub's own connections cannot (they act as xietong_app).
 */
export async function tamper(owner: Pool, sql: string): Promise<void> {
  await owner.query('alter table audit_event disable trigger user');
  try {
    await owner.query(sql);
  } finally {
    await owner.query('alter table audit_event enable trigger user');
  }
}
