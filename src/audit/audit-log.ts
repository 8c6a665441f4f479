import { createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { canonicalJson } from '../canonical/canonical-json';
import { GENESIS_HASH, type AuditEventContent, type AuditRecord } from './audit-event';
import { chainHash } from './chain-hash';

/** Serialises appends: the chain has exactly one next link. */
const APPEND_LOCK = 0x61756474; // 'audt'

/**
 * Largest event (canonical JSON of its content, UTF-8 bytes). Requests whose event could exceed it
 * are refused before they run (`src/http/request-shape.ts`); this is the backstop for the rest.
 */
export const MAX_AUDIT_EVENT_BYTES = 16 * 1024;
/** Longest operation name an event keeps whole. */
const MAX_EVENT_NAME_LENGTH = 128;

/** An event that stays over `MAX_AUDIT_EVENT_BYTES` even with its variables reduced to a digest. */
export class AuditEventTooLargeError extends Error {
  constructor(bytes: number) {
    super(`audit event of ${bytes} bytes exceeds ${MAX_AUDIT_EVENT_BYTES}`);
    this.name = 'AuditEventTooLargeError';
  }
}

/** Canonical JSON differs from plain JSON only in key order, so their sizes are equal. */
const bytesOf = (content: AuditEventContent) => Buffer.byteLength(JSON.stringify(content));

/**
 * The content within the size cap: over it, the variables are kept as their size and digest and
 * the operation name is cut, so that one request cannot bloat the chain; still over, refused.
 */
export function cappedContent(content: AuditEventContent): AuditEventContent {
  const bytes = bytesOf(content);
  if (bytes <= MAX_AUDIT_EVENT_BYTES) return content;
  const variables = canonicalJson(content.variables);
  const name = content.operationName;
  const capped: AuditEventContent = {
    ...content,
    operationName: name && name.length > MAX_EVENT_NAME_LENGTH ? `${name.slice(0, MAX_EVENT_NAME_LENGTH)}… (${name.length} characters)` : name,
    variables: { '(omitted)': `${Buffer.byteLength(variables)} bytes, sha256 ${createHash('sha256').update(variables).digest('hex')}` },
  };
  const cappedBytes = bytesOf(capped);
  if (cappedBytes > MAX_AUDIT_EVENT_BYTES) throw new AuditEventTooLargeError(cappedBytes);
  return capped;
}

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
      return await this.appendOn(client, content, occurredAt, true);
    } catch (error) {
      await client.query('rollback').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /**
   * Appends one event inside the caller's open transaction on `client`, so that it commits (or
   * rolls back) together with what that transaction changes: a mutation's event before its effect.
   * The chain's lock is held until that transaction ends, so keep it short after this.
   */
  appendWithin(client: PoolClient, content: AuditEventContent, occurredAt = new Date()): Promise<AuditRecord> {
    return this.appendOn(client, content, occurredAt, false);
  }

  private async appendOn(client: PoolClient, given: AuditEventContent, occurredAt: Date, ownTransaction: boolean): Promise<AuditRecord> {
    const content = cappedContent(given);
    const results = await client.query(`${ownTransaction ? 'begin; ' : ''}select pg_advisory_xact_lock(${APPEND_LOCK});
      select seq, hash from audit_event order by seq desc limit 1`) as unknown as Array<{ rows: Array<{ seq: string; hash: string }> }>;
    const { rows } = results[results.length - 1];
    const seq = rows.length ? Number(rows[0].seq) + 1 : 1;
    const prevHash = rows.length ? rows[0].hash : GENESIS_HASH;
    const at = occurredAt.toISOString();
    const hash = chainHash(prevHash, seq, at, content);
    const literal = (value: string) => client.escapeLiteral(value);
    await client.query(`insert into audit_event (seq, occurred_at, content, prev_hash, hash)
      values (${seq}, ${literal(at)}, ${literal(JSON.stringify(content))}::jsonb, ${literal(prevHash)}, ${literal(hash)})${ownTransaction ? '; commit' : ''}`);
    return { seq, occurredAt: at, content, prevHash, hash };
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

