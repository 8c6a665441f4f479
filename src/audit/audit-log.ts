import { createHash, createPublicKey, sign, type KeyObject } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { canonicalJson } from '../canonical-json';
import { GENESIS_HASH, type AuditEventContent, type AuditRecord } from './audit-event';
import { chainHash } from './chain-hash';
import { verifyChain, type ChainVerdict } from './chain-verifier';

/** Serialises appends: the chain has exactly one next link. */
const APPEND_LOCK = 0x61756474; // 'audt'

export type { ChainVerdict };

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
  let cappedBytes = bytesOf(capped);
  // Many long literals (each within the edge's limit) reduce the same way: their size and digest.
  if (cappedBytes > MAX_AUDIT_EVENT_BYTES && content.arguments?.length) {
    const args = canonicalJson(content.arguments);
    capped.arguments = [
      { field: '(omitted)', arguments: { '(omitted)': `${Buffer.byteLength(args)} bytes, sha256 ${createHash('sha256').update(args).digest('hex')}` } },
    ];
    cappedBytes = bytesOf(capped);
  }
  if (cappedBytes > MAX_AUDIT_EVENT_BYTES) throw new AuditEventTooLargeError(cappedBytes);
  return capped;
}

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
  constructor(
    private readonly pool: Pool,
    /** Told how long each append took (lock wait included) and whether it was written, for the hub's metrics. */
    private readonly onAppended?: (seconds: number, outcome: 'ok' | 'failed') => void,
  ) {}

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

  private async appendOn(client: PoolClient, content: AuditEventContent, occurredAt: Date, ownTransaction: boolean): Promise<AuditRecord> {
    if (!this.onAppended) return this.write(client, content, occurredAt, ownTransaction);
    const started = performance.now();
    let outcome: 'ok' | 'failed' = 'failed';
    try {
      const record = await this.write(client, content, occurredAt, ownTransaction);
      outcome = 'ok';
      return record;
    } finally {
      this.onAppended((performance.now() - started) / 1000, outcome);
    }
  }

  private async write(client: PoolClient, given: AuditEventContent, occurredAt: Date, ownTransaction: boolean): Promise<AuditRecord> {
    const content = cappedContent(given);
    const results = (await client.query(`${ownTransaction ? 'begin; ' : ''}select pg_advisory_xact_lock(${APPEND_LOCK});
      select seq, hash from audit_event order by seq desc limit 1`)) as unknown as Array<{ rows: Array<{ seq: string; hash: string }> }>;
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
    await this.pool.query(
      `insert into audit_head_signature (seq, hash, signed_at, key_id, signature)
      values ($1, $2, $3, $4, $5) on conflict (seq) do nothing`,
      [seq, rows[0].hash, signedAt.toISOString(), key.keyId, signature],
    );
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
