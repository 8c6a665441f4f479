import type { Pool } from 'pg';

/**
 * The districts of Suzhou (six-digit division codes) with the most enterprises in business that
 * hold a valid freight licence — the objects a freight inspection plan draws from — busiest first.
 */
export async function busiestFreightDistricts(pool: Pool, limit: number): Promise<string[]> {
  const { rows } = await pool.query<{ district: string }>(
    `select left(e.division_code, 6) as district from enterprise e where e.status = 'IN_BUSINESS' and e.division_code like '3205%'
       and exists (select 1 from operator_licence l where l.holder_uscc = e.uscc and l.status = 'VALID'
         and l.scopes && array['FREIGHT_GENERAL','FREIGHT_SPECIALISED','FREIGHT_OVERSIZE'])
     group by 1 order by count(*) desc, 1 limit $1`,
    [limit],
  );
  return rows.map((r) => r.district);
}
