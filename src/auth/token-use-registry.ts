import type { Pool } from 'pg';

/**
 * Remembers token ids (`jti`) until their tokens expire, in PostgreSQL so that every hub process
 * refuses a replay. Expired entries are purged now and then on the way.
 */
export class TokenUseRegistry {
  private sinceCleanup = 0;

  constructor(private readonly pool: Pool) {}

  /** True the first time `issuer`/`jti` is seen, false on every replay. */
  async firstUse(issuer: string, jti: string, expiresAt: Date): Promise<boolean> {
    if (++this.sinceCleanup >= 1000) {
      this.sinceCleanup = 0;
      await this.pool.query('delete from auth_token_use where expires_at < now()');
    }
    const { rowCount } = await this.pool.query('insert into auth_token_use (issuer, jti, expires_at) values ($1, $2, $3) on conflict do nothing', [
      issuer,
      jti,
      expiresAt,
    ]);
    return rowCount === 1;
  }
}
