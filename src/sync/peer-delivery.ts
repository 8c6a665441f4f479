import fs from 'node:fs';
import type { Queue, Worker } from 'bullmq';
import type { Pool } from 'pg';
import { requestAccessToken, signClientAssertion, type TokenResponse } from '../auth';
import type { CooperationSettings, PeerHub } from '../config';
import { repeatedWarning, type Logger } from '../logger';
import type { QueueBackend } from './queue-backend';

/** The queue outbound cooperation messages are delivered through (one job per message, its id the message's). */
export const PEER_DELIVERY_QUEUE = 'peer-delivery';

/** The scope this hub asks a peer's token endpoint for: the role peers' agreements give hubs. */
export const PEER_HUB_SCOPE = 'role:peer-hub';

/** The purpose every delivery declares (the agreements for peer hubs permit it). */
const DELIVERY_PURPOSE = 'cross-region-enforcement';

/** How long one delivery waits for the peer's answer. */
const DELIVERY_TIMEOUT_MS = 10_000;

/** How often PENDING messages are queued again (a message whose job was lost with the queue's store). */
const SWEEP_MS = 30_000;

const RECEIVE = `mutation Receive($idempotencyKey: String!, $kind: CooperationKind!, $subjectRef: String!, $content: String!) {
  receivePeerMessage(idempotencyKey: $idempotencyKey, kind: $kind, subjectRef: $subjectRef, content: $content) { messageId duplicate }
}`;

/**
 * Refusals a retry cannot change: the peer checked the message (or our right to send it) and said
 * no. Anything else (the peer down, a 5xx, a 429, its audit unavailable) is tried again.
 */
const FINAL_REFUSALS = new Set([
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'ILLEGAL_TRANSITION',
  'FORBIDDEN',
  'NO_AGREEMENT',
  'AGREEMENT_EXPIRED',
  'PURPOSE_NOT_PERMITTED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PAYLOAD_TOO_LARGE',
]);

interface OutboundRow {
  id: string;
  peer_id: string | null;
  kind: string;
  idempotency_key: string;
  subject_ref: string;
  content: string;
}

/** A delivery the peer refused for good. */
class FinalRefusal extends Error {}

/**
 * Carries the outbox (`cooperation_message`, OUTBOUND and PENDING) to the peers' hubs, at least
 * once: each message is one job on the sync's queue backend (Redis or PostgreSQL), tried every
 * `PEER_RETRY_MS` while the peer is down, until the peer acknowledges it; the peer keeps it once
 * by its idempotency key. A sweep queues PENDING messages again, so a message is delivered even if
 * its job was lost. Every attempt is counted on the message, with the last failure.
 */
export class PeerDelivery {
  private queue: Queue | null = null;
  private worker: Worker | null = null;
  private sweeper: NodeJS.Timeout | null = null;
  private readonly tokens = new Map<string, { token: string; until: number }>();

  constructor(
    private readonly pool: Pool,
    private readonly backend: QueueBackend,
    private readonly settings: CooperationSettings,
    private readonly logger: Logger,
  ) {}

  /** Starts the worker and the sweep (only where peers are configured). */
  start(): void {
    if (this.settings.peers.length === 0 || this.worker) return;
    this.queue = this.backend.createQueue(PEER_DELIVERY_QUEUE);
    const queueError = repeatedWarning(this.logger, 'peer delivery queue error');
    this.queue.on('error', (error) => queueError({ err: error }));
    this.worker = this.backend.createWorker<{ messageId: string }, string>(PEER_DELIVERY_QUEUE, (job) => this.deliver(job.data.messageId), 2);
    const workerError = repeatedWarning(this.logger, 'peer delivery worker error');
    this.worker.on('error', (error) => workerError({ err: error }));
    this.worker.on('failed', (job, error) => this.logger.info({ messageId: job?.data.messageId, reason: error.message }, 'peer delivery will be tried again'));
    void this.sweep();
    this.sweeper = setInterval(() => void this.sweep(), SWEEP_MS);
    this.sweeper.unref();
  }

  /** Queues messages just committed; a message the queue does not take now is found by the next sweep. */
  enqueue(messageIds: string[]): void {
    if (!this.queue) return;
    const retry = { attempts: 1_000_000, backoff: { type: 'fixed', delay: this.settings.retryMs }, removeOnComplete: true, removeOnFail: true };
    this.queue
      .addBulk(messageIds.map((messageId) => ({ name: 'deliver', data: { messageId }, opts: { ...retry, jobId: messageId } })))
      .catch((error: unknown) => this.logger.warn({ err: error }, 'peer delivery not queued; the sweep will'));
  }

  private async sweep(): Promise<void> {
    try {
      const { rows } = await this.pool.query<{ id: string }>(
        `select id from cooperation_message where status = 'PENDING' and direction = 'OUTBOUND' and deleted_at is null order by created_at limit 500`,
      );
      if (rows.length > 0) this.enqueue(rows.map((r) => r.id));
    } catch (error) {
      this.logger.warn({ err: error }, 'peer delivery sweep failed');
    }
  }

  /** One attempt to deliver one message; throws to be tried again. */
  private async deliver(messageId: string): Promise<string> {
    const { rows } = await this.pool.query<OutboundRow>(
      `select id, peer_id, kind, idempotency_key, subject_ref, content from cooperation_message
       where id = $1 and direction = 'OUTBOUND' and status = 'PENDING' and deleted_at is null`,
      [messageId],
    );
    const message = rows[0];
    if (!message) return 'not pending';
    const peer = this.settings.peers.find((p) => p.id === message.peer_id);
    try {
      if (!peer) throw new FinalRefusal(`peer ${message.peer_id ?? '?'} is no longer configured`);
      const receipt = await this.post(peer, message);
      await this.pool.query(
        `update cooperation_message set status = 'DELIVERED', delivered_at = now(), attempts = attempts + 1, last_error = null,
           provenance_source_updated_at = now() where id = $1 and status = 'PENDING'`,
        [message.id],
      );
      this.logger.info({ messageId, peer: peer.id, duplicate: receipt.duplicate }, 'cooperation message delivered');
      return 'delivered';
    } catch (error) {
      const reason = error instanceof Error ? error.message.slice(0, 500) : String(error);
      const final = error instanceof FinalRefusal;
      await this.pool.query(
        `update cooperation_message set attempts = attempts + 1, last_error = $2, status = case when $3 then 'REFUSED' else status end,
           provenance_source_updated_at = now() where id = $1 and status = 'PENDING'`,
        [message.id, reason, final],
      );
      if (final) {
        this.logger.warn({ messageId, reason }, 'cooperation message refused by the peer');
        return 'refused';
      }
      throw error;
    }
  }

  private async post(peer: PeerHub, message: OutboundRow): Promise<{ messageId: string; duplicate: boolean }> {
    const token = await this.tokenFor(peer);
    let response: Response;
    try {
      response = await fetch(peer.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-purpose': DELIVERY_PURPOSE },
        body: JSON.stringify({
          query: RECEIVE,
          variables: { idempotencyKey: message.idempotency_key, kind: message.kind, subjectRef: message.subject_ref, content: message.content },
        }),
        signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
      });
    } catch (error) {
      throw new Error(
        `peer ${peer.id} unreachable: ${error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error)}`,
      );
    }
    if (response.status === 401) this.tokens.delete(peer.id);
    const body = (await response.json().catch(() => null)) as {
      data?: { receivePeerMessage?: { messageId: string; duplicate: boolean } | null } | null;
      errors?: Array<{ message: string; extensions?: { code?: string } }>;
    } | null;
    const receipt = body?.data?.receivePeerMessage;
    if (receipt) return receipt;
    const first = body?.errors?.[0];
    const code = first?.extensions?.code ?? `HTTP ${response.status}`;
    const text = `peer ${peer.id} answered ${code}: ${first?.message ?? response.statusText}`;
    if (FINAL_REFUSALS.has(code)) throw new FinalRefusal(text);
    throw new Error(text);
  }

  /** A client-credentials token from the peer's token endpoint, reused until shortly before it expires. */
  private async tokenFor(peer: PeerHub): Promise<string> {
    const cached = this.tokens.get(peer.id);
    if (cached && cached.until > Date.now()) return cached.token;
    let response: TokenResponse;
    try {
      const key = JSON.parse(fs.readFileSync(peer.keyFile, 'utf8')) as Parameters<typeof signClientAssertion>[0];
      response = await requestAccessToken(peer.tokenUrl, signClientAssertion(key, peer.clientId, peer.tokenUrl), PEER_HUB_SCOPE);
    } catch (error) {
      throw new Error(
        `no token from peer ${peer.id}: ${error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error)}`,
      );
    }
    this.tokens.set(peer.id, { token: response.access_token, until: Date.now() + Math.max(0, response.expires_in - 30) * 1000 });
    return response.access_token;
  }

  async close(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    await this.worker?.close();
    await this.queue?.close();
  }
}
