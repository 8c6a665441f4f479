import { createHash, createPublicKey, sign, type KeyObject } from 'node:crypto';
import { DatabaseError, type Pool, type PoolClient } from 'pg';
import { canonicalJson } from '../canonical-json';
import { AdvisoryLock } from '../db/advisory-locks';
import { GENESIS_HASH, type AuditEventContent, type AuditRecord } from './audit-event';
import { chainHash } from './chain-hash';
import { verifyChain, type ChainVerdict } from './chain-verifier';
import { truncatedCodePoints, wellFormedDeep } from './well-formed';

const APPEND_LOCK = AdvisoryLock.AUDIT_APPEND;

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
 * The content well-formed (every string as jsonb accepts it, whichever part of the event built it)
 * and within the size cap: over it, the variables are kept as their size and digest and the
 * operation name is cut, so that one request cannot bloat the chain; still over, refused.
 */
export function cappedContent(original: AuditEventContent): AuditEventContent {
  const content = wellFormedDeep(original);
  const bytes = bytesOf(content);
  if (bytes <= MAX_AUDIT_EVENT_BYTES) return content;
  const variables = canonicalJson(content.variables);
  const name = content.operationName;
  const cutName = name && truncatedCodePoints(name, MAX_EVENT_NAME_LENGTH);
  const capped: AuditEventContent = {
    ...content,
    operationName: cutName ? `${cutName.head}… (${cutName.codePoints} characters)` : name,
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

/** Most events one group commit writes: a batch is one statement, and its events' requests wait for all of it. */
export const MAX_AUDIT_BATCH = 64;

/** The chain's last link as the log last wrote or read it. */
export interface Head {
  seq: number;
  hash: string;
}

interface PendingEvent {
  content: AuditEventContent;
  occurredAt: Date;
  resolve(record: AuditRecord): void;
  reject(error: unknown): void;
}

/** Appends the optimistic path tries (the head re-read between tries) before taking the lock and reading the head under it. */
const OPTIMISTIC_TRIES = 3;

/**
 * The hub's tamper-evident audit trail. Each event stores the previous event's hash and its own,
 * so editing, removing or reordering any event breaks the chain from there; signed heads make a
 * cut-off tail detectable too. Appending is fail-closed: callers get the error, not silence.
 *
 * Appends are group-committed: the events appended while a batch is being written wait for it,
 * then go together as the next batch, in the order they were appended, in one transaction; each
 * append resolves only once its batch has committed, and rejects if it did not (a batch the server
 * refuses is written again one event at a time, so only the event it refuses fails). A batch is one
 * round trip, so no transaction holds the chain's lock while waiting on this process: the hashes
 * are computed from the head the log last saw, and the statement inserts only if that is still
 * the head once the lock is held (else the head is read again and the batch retried).
 */
export class AuditLog {
  private readonly queue: PendingEvent[] = [];
  private flushing = false;
  private head: Head | null = null;
  private batchesWritten = 0;

  constructor(
    private readonly pool: Pool,
    /** Told how long each append took (waiting for its batch included) and whether it was written, for the hub's metrics. */
    private readonly onAppended?: (seconds: number, outcome: 'ok' | 'failed') => void,
  ) {}

  /** How many batches this log has committed (tests check that concurrent appends share them). */
  get batches(): number {
    return this.batchesWritten;
  }

  /** Appends one event at the end of the chain, in order even under concurrent appends; resolves once it has committed. */
  append(content: AuditEventContent, occurredAt = new Date()): Promise<AuditRecord> {
    const started = performance.now();
    const appended = new Promise<AuditRecord>((resolve, reject) => {
      // An event over the cap is refused alone, before it could fail the batch it would join.
      this.queue.push({ content: cappedContent(content), occurredAt, resolve, reject });
    });
    if (!this.flushing) void this.flush();
    if (!this.onAppended) return appended;
    const report = (outcome: 'ok' | 'failed') => this.onAppended!((performance.now() - started) / 1000, outcome);
    return appended.then(
      (record) => {
        report('ok');
        return record;
      },
      (error: unknown) => {
        report('failed');
        throw error;
      },
    );
  }

  /** Writes batches while events wait: what arrives during one batch's round trip is the next batch. */
  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.queue.length) {
        const batch = this.queue.splice(0, MAX_AUDIT_BATCH);
        try {
          const records = await this.writeBatch(batch);
          this.batchesWritten += 1;
          batch.forEach((event, i) => event.resolve(records[i]));
        } catch (error) {
          this.head = null;
          // The server refused the batch, so nothing of it committed: one event it cannot take must
          // not fail the others' requests, so each is written alone, in order, and fails alone.
          // A lost connection is not retried: the batch may have committed, and the chain must not hold it twice.
          if (batch.length > 1 && error instanceof DatabaseError) await this.writeOneByOne(batch);
          else for (const event of batch) event.reject(error);
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  private async writeOneByOne(batch: PendingEvent[]): Promise<void> {
    for (const event of batch) {
      try {
        const [record] = await this.writeBatch([event]);
        this.batchesWritten += 1;
        event.resolve(record);
      } catch (error) {
        this.head = null;
        event.reject(error);
      }
    }
  }

  private async writeBatch(batch: PendingEvent[]): Promise<AuditRecord[]> {
    const client = await this.pool.connect();
    try {
      for (let attempt = 0; attempt < OPTIMISTIC_TRIES; attempt++) {
        const head = this.head ?? (await readHead(client));
        const records = linked(head, batch);
        const guard = headGuard(head, (text) => client.escapeLiteral(text));
        // Each statement of a simple query reads the rows committed before it began: the guard
        // sees every event committed before the lock was granted.
        const results = (await client.query(`begin; select pg_advisory_xact_lock(${APPEND_LOCK});
          insert into audit_event (seq, occurred_at, content, prev_hash, hash)
          select * from (values ${records.map((r) => rowLiteral(client, r)).join(', ')}) as batch (seq, occurred_at, content, prev_hash, hash) where ${guard};
          commit`)) as unknown as Array<{ rowCount: number | null }>;
        if (results[2].rowCount === records.length) {
          this.head = { seq: records[records.length - 1].seq, hash: records[records.length - 1].hash };
          return records;
        }
        // Another writer (a mutation's event, another instance) moved the head: read it again.
        this.head = null;
      }
      // Still contended: read the head under the lock, as a single append always could.
      const results = (await client.query(`begin; select pg_advisory_xact_lock(${APPEND_LOCK});
        select seq, hash from audit_event order by seq desc limit 1`)) as unknown as Array<{ rows: Array<{ seq: string; hash: string }> }>;
      const { rows } = results[results.length - 1];
      const records = linked(rows.length ? { seq: Number(rows[0].seq), hash: rows[0].hash } : null, batch);
      await client.query(
        `insert into audit_event (seq, occurred_at, content, prev_hash, hash) values ${records.map((r) => rowLiteral(client, r)).join(', ')}; commit`,
      );
      this.head = { seq: records[records.length - 1].seq, hash: records[records.length - 1].hash };
      return records;
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
  async appendWithin(client: PoolClient, content: AuditEventContent, occurredAt = new Date()): Promise<AuditRecord> {
    const started = performance.now();
    let outcome: 'ok' | 'failed' = 'failed';
    try {
      const capped = cappedContent(content);
      const results = (await client.query(`select pg_advisory_xact_lock(${APPEND_LOCK});
        select seq, hash from audit_event order by seq desc limit 1`)) as unknown as Array<{ rows: Array<{ seq: string; hash: string }> }>;
      const { rows } = results[results.length - 1];
      const [record] = linked(rows.length ? { seq: Number(rows[0].seq), hash: rows[0].hash } : null, [{ content: capped, occurredAt }]);
      await client.query(`insert into audit_event (seq, occurred_at, content, prev_hash, hash) values ${rowLiteral(client, record)}`);
      outcome = 'ok';
      return record;
    } finally {
      this.onAppended?.((performance.now() - started) / 1000, outcome);
    }
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

/**
 * The condition, true while `head` is the chain's last event (nothing after it, nothing when
 * null), that an optimistic append inserts under. The last event is read down the key's index:
 * a test for events after the head (`seq > …`) was planned on a table never analysed as a scan
 * of every event (1.4 ms an append at 3,500 events, growing with the chain).
 */
export function headGuard(head: Head | null, literal: (text: string) => string): string {
  return head
    ? `exists (select 1 from (select seq, hash from audit_event order by seq desc limit 1) last where last.seq = ${head.seq} and last.hash = ${literal(head.hash)})`
    : 'not exists (select 1 from audit_event)';
}

/** The head as it is now, read without the lock: the optimistic append checks it under the lock. */
async function readHead(client: PoolClient): Promise<Head | null> {
  const { rows } = await client.query<{ seq: string; hash: string }>('select seq, hash from audit_event order by seq desc limit 1');
  return rows.length ? { seq: Number(rows[0].seq), hash: rows[0].hash } : null;
}

/** The events chained after `head`, in their order. */
function linked(head: Head | null, events: ReadonlyArray<Pick<PendingEvent, 'content' | 'occurredAt'>>): AuditRecord[] {
  let [seq, prevHash] = head ? [head.seq, head.hash] : [0, GENESIS_HASH];
  return events.map(({ content, occurredAt }) => {
    seq += 1;
    const at = occurredAt.toISOString();
    const hash = chainHash(prevHash, seq, at, content);
    const record = { seq, occurredAt: at, content, prevHash, hash };
    prevHash = hash;
    return record;
  });
}

/** An event as a row of literals (a multi-statement simple query takes no parameters). */
function rowLiteral(client: PoolClient, r: AuditRecord): string {
  const literal = (value: string) => client.escapeLiteral(value);
  return `(${r.seq}::bigint, ${literal(r.occurredAt)}::timestamptz, ${literal(JSON.stringify(r.content))}::jsonb, ${literal(r.prevHash)}, ${literal(r.hash)})`;
}

/** Public key of a signing key, for verifiers. */
export function publicKeyOf(key: HeadSigningKey): KeyObject {
  return createPublicKey(key.privateKey);
}
