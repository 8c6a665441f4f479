import { verify, type KeyObject } from 'node:crypto';
import type { Pool } from 'pg';
import { GENESIS_HASH, type AuditEventContent } from './audit-event';
import { chainHash } from './chain-hash';

export type ChainVerdict =
  | {
      intact: true;
      events: number;
      signedHead: number | null;
      /** The verified checkpoint the walk went on from (0: the first event). */
      checkedFrom: number;
      /** Events read and hashed by this verification. */
      eventsRead: number;
    }
  | { intact: false; firstBrokenSeq: number; reason: string };

interface EventRow {
  seq: string;
  occurred_at: Date;
  content: AuditEventContent;
  prev_hash: string;
  hash: string;
}

interface HeadRow {
  seq: string;
  hash: string;
  key_id: string;
  signature: string;
}

const isSigned = (head: HeadRow, keys: ReadonlyMap<string, KeyObject>): boolean => {
  const key = keys.get(head.key_id);
  return key !== undefined && verify(null, Buffer.from(`${Number(head.seq)}:${head.hash}`), key, Buffer.from(head.signature, 'base64'));
};

const BATCH = 1000;

/**
 * Verifies the audit chain, in full (from the first event) or incrementally: from the newest
 * verified checkpoint, a signed head an earlier verification found intact. The checkpoint is
 * trusted only as far as its head's signature and the event at it, whose hash must still match;
 * changes to events before it are what a full walk (`npm run audit:verify -- --full`) is for.
 * An intact walk that reached a newer signed head records it as the next checkpoint.
 */
export async function verifyChain(pool: Pool, publicKeys: ReadonlyMap<string, KeyObject>, options: { incremental: boolean }): Promise<ChainVerdict> {
  let from = 0;
  let prevHash = GENESIS_HASH;
  if (options.incremental) {
    const { rows } = await pool.query<HeadRow>(`select h.seq, h.hash, h.key_id, h.signature from audit_verified_checkpoint c
      join audit_head_signature h on h.seq = c.seq and h.hash = c.hash order by c.seq desc limit 10`);
    const checkpoint = rows.find((row) => isSigned(row, publicKeys));
    if (checkpoint) {
      const seq = Number(checkpoint.seq);
      const {
        rows: [event],
      } = await pool.query<EventRow>('select seq, occurred_at, content, prev_hash, hash from audit_event where seq = $1', [seq]);
      if (!event) {
        const {
          rows: [tail],
        } = await pool.query<{ last: string | null }>('select max(seq) as last from audit_event');
        const last = Number(tail.last ?? 0);
        return last < seq
          ? { intact: false, firstBrokenSeq: last + 1, reason: `events after ${last} were removed (a signed head covers ${seq})` }
          : { intact: false, firstBrokenSeq: seq, reason: `event ${seq} is missing` };
      }
      if (event.hash !== checkpoint.hash || chainHash(event.prev_hash, seq, event.occurred_at.toISOString(), event.content) !== event.hash) {
        return { intact: false, firstBrokenSeq: seq, reason: 'differs from its verified checkpoint' };
      }
      from = seq;
      prevHash = event.hash;
    }
  }
  const { rows: heads } = await pool.query<HeadRow>('select seq, hash, key_id, signature from audit_head_signature where seq > $1 order by seq desc', [from]);
  // Only the hashes signed heads will be compared with are kept: a full walk holds no whole chain.
  const headSeqs = new Set(heads.map((h) => Number(h.seq)));
  const hashes = new Map<number, string>();
  let expectedSeq = from + 1;
  let eventsRead = 0;
  for (let after = from; ;) {
    const { rows } = await pool.query<EventRow>(
      `select seq, occurred_at, content, prev_hash, hash from audit_event where seq > $1 order by seq limit ${BATCH}`,
      [after],
    );
    if (!rows.length) break;
    for (const row of rows) {
      const seq = Number(row.seq);
      eventsRead += 1;
      if (seq !== expectedSeq) return { intact: false, firstBrokenSeq: expectedSeq, reason: `event ${expectedSeq} is missing` };
      if (row.prev_hash !== prevHash) return { intact: false, firstBrokenSeq: seq, reason: 'does not follow the previous event' };
      if (chainHash(row.prev_hash, seq, row.occurred_at.toISOString(), row.content) !== row.hash) {
        return { intact: false, firstBrokenSeq: seq, reason: 'content does not match its hash' };
      }
      if (headSeqs.has(seq)) hashes.set(seq, row.hash);
      prevHash = row.hash;
      expectedSeq = seq + 1;
      after = seq;
    }
  }
  const last = expectedSeq - 1;
  for (const head of heads) {
    if (!isSigned(head, publicKeys)) continue;
    const seq = Number(head.seq);
    if (seq > last) return { intact: false, firstBrokenSeq: last + 1, reason: `events after ${last} were removed (a signed head covers ${seq})` };
    if (hashes.get(seq) !== head.hash) return { intact: false, firstBrokenSeq: seq, reason: 'differs from its signed head' };
    await pool.query(
      `insert into audit_verified_checkpoint (seq, hash, head_key_id, verified_at, full_walk)
      values ($1, $2, $3, now(), $4) on conflict (seq) do nothing`,
      [seq, head.hash, head.key_id, !options.incremental],
    );
    return { intact: true, events: last, signedHead: seq, checkedFrom: from, eventsRead };
  }
  return { intact: true, events: last, signedHead: from || null, checkedFrom: from, eventsRead };
}
