import { createHash, randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import type { EffectAudit } from '../../audit/effect-audit';
import { inTransaction } from '../../db/transaction';
import { ErrorCode } from '../../errors';
import type { PlateColor } from '../common/enums';
import type { Watch } from './watch.entity';
import { WatchError } from './watch.errors';
import { holdWatchHits, recordHitsOfNewWatch } from './watch-hits';

/** Who acts: the officer's agency and token subject. */
export interface WatchActor {
  agency: string;
  subject: string;
}

/** A watch to set, its arguments already validated. */
export interface WatchRequest {
  plateNumber: string;
  plateColor: PlateColor;
  reason: string;
  caseNumber: string | null;
  expiresAt: Date;
}

interface WatchRow {
  id: string;
  plate_number: string;
  plate_color: PlateColor;
  reason: string;
  case_number: string | null;
  owner_agency: string;
  owner_subject: string;
  created_at: Date;
  expires_at: Date;
  removed_at: Date | null;
  removed_by: string | null;
  ends_at: Date;
  provenance_synced_at: Date;
  provenance_content_hash: string;
}

const RETURNING = `returning id, plate_number, plate_color, reason, case_number, owner_agency, owner_subject, created_at, expires_at,
  removed_at, removed_by, ends_at, provenance_synced_at, provenance_content_hash`;

/**
 * The write side of watch lists. Each change is one transaction holding the request's audit event
 * (appended first, as the clue workflow does) and the change; a refusal rolls both back.
 */
export class WatchWrites {
  constructor(private readonly pool: Pool) {}

  async add(request: WatchRequest, actor: WatchActor, audit: EffectAudit | null): Promise<Watch> {
    const id = randomUUID();
    const values = [id, request.plateNumber, request.plateColor, request.reason, request.caseNumber, actor.agency, actor.subject, request.expiresAt];
    const hash = createHash('sha256').update(JSON.stringify(values)).digest('hex');
    const row = await inTransaction(this.pool, async (client) => {
      // Before the audit's lock: waiting for a batch to commit must not hold up every request's audit.
      await holdWatchHits(client);
      await audit?.appendWithin(client);
      const { rows } = await client.query<WatchRow>(
        `insert into watch (id, plate_number, plate_color, reason, case_number, owner_agency, owner_subject, created_at, expires_at,
           provenance_system, provenance_record_id, provenance_source_updated_at, provenance_synced_at, provenance_content_hash)
         values ($1, $2, $3, $4, $5, $6, $7, now(), $8, 'HUB', $1, now(), now(), $9) ${RETURNING}`,
        [...values, hash],
      );
      await recordHitsOfNewWatch(client, id, rows[0].created_at);
      return rows[0];
    });
    audit?.committed();
    return watchOf(row);
  }

  /**
   * Removes a watch of the actor's agency that still stands (the caller read it so, under its own
   * scope): if another request removed it meanwhile, ILLEGAL_TRANSITION, and nothing is written.
   */
  async remove(id: string, actor: WatchActor, audit: EffectAudit | null): Promise<Watch> {
    const row = await inTransaction(this.pool, async (client) => {
      await audit?.appendWithin(client);
      const { rows } = await client.query<WatchRow>(
        `update watch set removed_at = now(), removed_by = $3, provenance_source_updated_at = now()
         where id = $1 and owner_agency = $2 and removed_at is null and deleted_at is null ${RETURNING}`,
        [id, actor.agency, `${actor.agency}/${actor.subject}`],
      );
      if (rows.length === 0) throw new WatchError(ErrorCode.ILLEGAL_TRANSITION, `Watch ${id} was removed already`, { action: 'REMOVE' });
      return rows[0];
    });
    audit?.committed();
    return watchOf(row);
  }
}

function watchOf(row: WatchRow): Watch {
  return {
    id: row.id,
    plateNumber: row.plate_number,
    plateColor: row.plate_color,
    reason: row.reason,
    caseNumber: row.case_number,
    ownerAgency: row.owner_agency,
    ownerSubject: row.owner_subject,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    removedAt: row.removed_at,
    removedBy: row.removed_by,
    endsAt: row.ends_at,
    deletedAt: null,
    provenance: {
      system: 'HUB',
      recordId: row.id,
      sourceUpdatedAt: row.provenance_synced_at,
      syncedAt: row.provenance_synced_at,
      contentHash: row.provenance_content_hash,
    },
  } as Watch;
}
