import { createPublicKey, sign, type KeyObject } from 'node:crypto';
import type { Pool } from 'pg';
import { GENESIS_HASH, type AuditEventContent, type AuditRecord } from './audit-event';
import { chainHash } from './chain-hash';
import { verifyChain, type ChainVerdict } from './chain-verifier';

/** Serialises appends: the chain has exactly one next link. */
const APPEND_LOCK = 0x61756474; // 'audt'

export type { ChainVerdict };

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
   * Walks the chain in order and reports the first event that does not fit: a gap in the
   * sequence, a previous-hash that is not the previous event's hash, or a hash that does not
   * match the event's content. Then checks the newest valid signed head against the chain.
   * By default from the first event; `incremental` goes on from the last verified checkpoint
   * (see `verifyChain`).
   */
  verify(publicKeys: ReadonlyMap<string, KeyObject>, options: { incremental: boolean } = { incremental: false }): Promise<ChainVerdict> {
    return verifyChain(this.pool, publicKeys, options);
  }
}

/** Public key of a signing key, for verifiers. */
export function publicKeyOf(key: HeadSigningKey): KeyObject {
  return createPublicKey(key.privateKey);
}

