import { createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import type { Pool } from 'pg';
import { GENESIS_HASH, type AuditEventContent, type AuditRecord } from './audit-event';
import { chainHash } from './chain-hash';

/** Serialises appends: the chain has exactly one next link. */
const APPEND_LOCK = 0x61756474; // 'audt'

export type ChainVerdict =
  | { intact: true; events: number; signedHead: number | null }
  | { intact: false; firstBrokenSeq: number; reason: string };

/** An `audit_event` row as `pg` returns it. */
export interface AuditEventRow {
  seq: string;
  occurred_at: Date;
  content: AuditEventContent;
  prev_hash: string;
  hash: string;
}

/** The key that signs chain heads, and the id verifiers know it by. */
export interface HeadSigningKey {
  keyId: string;
  privateKey: KeyObject;
}

/**
 * The hub's tamper-evident audit trail. Each event stores the previous event's hash and its own,
 * so editing, removing or reordering any event breaks the chain from there; signed heads make a
 * cut-off tail detectable too. Appending is fail-closed: callers get the error, not silence.
 */
export class AuditLog {
  constructor(private readonly pool: Pool) {}

  /**
   * Appends one event at the end of the chain, in order even under concurrent appends. Two round
   * trips (it runs on every request): one takes the chain's lock and reads its head, the other
   * inserts and commits; each is a multi-statement simple query with escaped literals.
   */
  async append(content: AuditEventContent, occurredAt = new Date()): Promise<AuditRecord> {
    const client = await this.pool.connect();
    try {
      const results = await client.query(`begin; select pg_advisory_xact_lock(${APPEND_LOCK});
        select seq, hash from audit_event order by seq desc limit 1`) as unknown as Array<{ rows: Array<{ seq: string; hash: string }> }>;
      const { rows } = results[2];
      const seq = rows.length ? Number(rows[0].seq) + 1 : 1;
      const prevHash = rows.length ? rows[0].hash : GENESIS_HASH;
      const at = occurredAt.toISOString();
      const hash = chainHash(prevHash, seq, at, content);
      const literal = (value: string) => client.escapeLiteral(value);
      await client.query(`insert into audit_event (seq, occurred_at, content, prev_hash, hash)
        values (${seq}, ${literal(at)}, ${literal(JSON.stringify(content))}::jsonb, ${literal(prevHash)}, ${literal(hash)}); commit`);
      return { seq, occurredAt: at, content, prevHash, hash };
    } catch (error) {
      await client.query('rollback').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /** Signs the current head (seq and hash) so that removing events after it can be detected. */
  async signHead(key: HeadSigningKey, signedAt = new Date()): Promise<{ seq: number; hash: string } | null> {
    const { rows } = await this.pool.query<{ seq: string; hash: string }>('select seq, hash from audit_event order by seq desc limit 1');
    if (!rows.length) return null;
    const seq = Number(rows[0].seq);
    const signature = sign(null, Buffer.from(`${seq}:${rows[0].hash}`), key.privateKey).toString('base64');
    await this.pool.query(`insert into audit_head_signature (seq, hash, signed_at, key_id, signature)
      values ($1, $2, $3, $4, $5) on conflict (seq) do nothing`, [seq, rows[0].hash, signedAt.toISOString(), key.keyId, signature]);
    return { seq, hash: rows[0].hash };
  }

  /**
   * Walks the whole chain in order and reports the first event that does not fit: a gap in the
   * sequence, a previous-hash that is not the previous event's hash, or a hash that does not
   * match the event's content. Then checks the newest valid signed head against the chain.
   */
  async verify(publicKeys: ReadonlyMap<string, KeyObject>): Promise<ChainVerdict> {
    let expectedSeq = 1;
    let prevHash = GENESIS_HASH;
    const hashes = new Map<number, string>();
    for (let after = 0; ;) {
      const { rows } = await this.pool.query<AuditEventRow>(
        'select seq, occurred_at, content, prev_hash, hash from audit_event where seq > $1 order by seq limit 1000', [after]);
      if (!rows.length) break;
      for (const row of rows) {
        const seq = Number(row.seq);
        if (seq !== expectedSeq) return { intact: false, firstBrokenSeq: expectedSeq, reason: `event ${expectedSeq} is missing` };
        if (row.prev_hash !== prevHash) return { intact: false, firstBrokenSeq: seq, reason: 'does not follow the previous event' };
        if (chainHash(row.prev_hash, seq, row.occurred_at.toISOString(), row.content) !== row.hash) {
          return { intact: false, firstBrokenSeq: seq, reason: 'content does not match its hash' };
        }
        hashes.set(seq, row.hash);
        prevHash = row.hash;
        expectedSeq = seq + 1;
        after = seq;
      }
    }
    const last = expectedSeq - 1;
    const heads = await this.pool.query<{ seq: string; hash: string; key_id: string; signature: string }>(
      'select seq, hash, key_id, signature from audit_head_signature order by seq desc');
    for (const head of heads.rows) {
      const key = publicKeys.get(head.key_id);
      const seq = Number(head.seq);
      if (!key || !verify(null, Buffer.from(`${seq}:${head.hash}`), key, Buffer.from(head.signature, 'base64'))) continue;
      if (seq > last) return { intact: false, firstBrokenSeq: last + 1, reason: `events after ${last} were removed (a signed head covers ${seq})` };
      if (hashes.get(seq) !== head.hash) return { intact: false, firstBrokenSeq: seq, reason: 'differs from its signed head' };
      return { intact: true, events: last, signedHead: seq };
    }
    return { intact: true, events: last, signedHead: null };
  }
}

/** Public key of a signing key, for verifiers. */
export function publicKeyOf(key: HeadSigningKey): KeyObject {
  return createPublicKey(key.privateKey);
}

