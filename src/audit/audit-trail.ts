import { createHash } from 'node:crypto';
import type { GraphQLSchema } from 'graphql';
import type { Pool } from 'pg';
import type { RequestAccess } from '../access/request-access';
import type { AgencyRegistry } from '../auth/agencies';
import type { HubError } from '../errors';
import type { Logger } from '../logger';
import type { RequestOperation } from '../read-kit/operation/request-operation';
import type { Viewer } from '../read-kit/request-context';
import type { AuditEventContent } from './audit-event';
import { AuditLog, publicKeyOf, type ChainVerdict, type HeadSigningKey } from './audit-log';
import { countedTypes } from './count-records';
import { RefusalTally, type RefusalCount } from './refusal-tally';
import { RequestAudit, type Auditing } from './request-audit';

export interface AuditTrailOptions {
  /** How often the chain's head is signed, ms. */
  headIntervalMs: number;
  /** How often the counts of refused requests are written, ms. */
  refusalCountIntervalMs: number;
  /** Where failures to write or sign are reported (the request is refused or the count kept, never lost silently). */
  logger: Logger;
  /** Told how long each append took and whether it was written (the hub's metrics). */
  onAppended?: (seconds: number, outcome: 'ok' | 'failed') => void;
}

/** A refusal's event: who (as far as known) and why, nothing of what was sent. */
const refusedEvent = (who: Pick<Viewer, 'agency' | 'subject' | 'roles' | 'tokenId'>, refusal: string): AuditEventContent => ({
  agency: who.agency,
  subject: who.subject,
  roles: who.roles,
  agreement: null,
  purpose: null,
  caseNumber: null,
  operationName: null,
  documentHash: '',
  variables: {},
  fieldsReturned: {},
  sources: {},
  refusal,
  outcome: 'DENIED',
  durationMs: 0,
  ...(who.tokenId ? { tokenId: who.tokenId } : {}),
});

/**
 * The hub's audit trail: the chain of events (one per request, `RequestAudit`), its head signed
 * with the hub's key every `headIntervalMs`, and the requests refused at the edge: chained one
 * by one for a verified caller, counted (`RefusalTally`) for unauthenticated tokens and for an
 * agency over its own slots or rate limit, so a flood cannot grow the chain by its flood.
 */
export class AuditTrail {
  private readonly log: AuditLog;
  private readonly auditing: Auditing;
  private readonly refusedTokens: RefusalTally;
  private readonly throttled: RefusalTally;
  private readonly timers: NodeJS.Timeout[];

  constructor(
    pool: Pool,
    private readonly hubKey: HeadSigningKey,
    schema: GraphQLSchema,
    agencies: AgencyRegistry,
    private readonly options: AuditTrailOptions,
  ) {
    this.log = new AuditLog(pool, options.onAppended);
    // Personal values in events are digested under this key with a salt drawn per event (redact-variables.ts).
    const secret = hubKey.privateKey.export({ type: 'pkcs8', format: 'der' });
    const redactionKey = createHash('sha256').update('audit-redaction').update(secret).digest('hex');
    this.auditing = {
      log: this.log,
      redactionKey,
      counted: countedTypes(schema),
      agencies,
      onFailure: (error) => options.logger.error({ err: error }, 'audit append failed'),
    };
    /** Refusals counted, not chained one by one: each count becomes one event naming `agency` (or the source) and the refusal. */
    const tally = (agencyOf: (count: RefusalCount) => string, refusal: string) =>
      new RefusalTally((count) =>
        this.log
          .append({
            ...refusedEvent({ agency: agencyOf(count), subject: '', roles: [] }, `${refusal}:${count.reason}`),
            refused: { source: count.source, count: count.count, from: count.from.toISOString(), to: count.to.toISOString() },
          })
          .then(() => undefined),
      );
    // Tokens refused before anyone is known, per source address and reason.
    this.refusedTokens = tally(() => 'unauthenticated', 'UNAUTHENTICATED');
    // Requests a verified agency sent over its own slots or rate limit read nothing: counted per agency and limit.
    this.throttled = tally((count) => count.source, 'QUERY_LIMIT_EXCEEDED');
    this.timers = [setInterval(() => this.signHead(), options.headIntervalMs), setInterval(() => this.flushRefusalCounts(), options.refusalCountIntervalMs)];
    for (const timer of this.timers) timer.unref();
  }

  /** The audit event of one request of a verified caller. */
  forRequest(access: RequestAccess, operation: RequestOperation): RequestAudit {
    return new RequestAudit(this.auditing, access, operation);
  }

  /** Appends an event the hub writes of its own accord (a token issued at `/oauth/token`); rejects if it cannot. */
  async record(content: AuditEventContent): Promise<void> {
    await this.log.append(content);
  }

  /** Verifies the chain against the hub's key (see `AuditLog.verify`). */
  verify(options: { incremental: boolean }): Promise<ChainVerdict> {
    return this.log.verify(new Map([[this.hubKey.keyId, publicKeyOf(this.hubKey)]]), options);
  }

  /** Counts a request refused before authentication; the counts are written each interval. */
  countRefusedToken(reason: string, source: string): void {
    this.refusedTokens.count(source, reason);
  }

  /** Counts a verified caller's request refused by its agency's slots or its agreement's rate limit. */
  countThrottled(viewer: Viewer, limit: string): void {
    this.throttled.count(viewer.agency, limit);
  }

  /** Audits a verified caller's request refused at the edge: who, and why, without what it sent. */
  async auditRefusedRequest(viewer: Viewer, refusal: HubError): Promise<void> {
    await this.log.append(refusedEvent(viewer, refusal.code));
  }

  /** Writes the refusal counts now; a count that cannot be written is kept for the next try. */
  flushRefusalCounts(): Promise<void> {
    return Promise.all([this.refusedTokens.flush(), this.throttled.flush()])
      .then(() => undefined)
      .catch((error: unknown) => this.options.logger.error({ err: error }, 'audit of refused requests failed (counts kept for the next try)'));
  }

  /** Stops the timers, writes the last counts and signs the head the chain ends on. */
  async close(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    await this.flushRefusalCounts();
    await this.signHead();
  }

  private signHead(): Promise<unknown> {
    return this.log.signHead(this.hubKey).catch((error: unknown) => this.options.logger.error({ err: error }, 'audit head signing failed'));
  }
}
