import { createHash } from 'node:crypto';
import type { GraphQLRequest, GraphQLResponse } from '@apollo/server';
import type { OperationDefinitionNode } from 'graphql';
import type { PoolClient } from 'pg';
import { AuditUnavailableError, type EffectMade } from '../errors';
import type { RequestAccess } from '../access/request-access';
import type { AgencyRegistry } from '../auth/agencies';
import { includedFields } from '../read-kit/operation/included-fields';
import type { RequestOperation } from '../read-kit/operation/request-operation';
import type { AuditEventContent } from './audit-event';
import type { AuditLog } from './audit-log';
import { auditedArguments } from './audited-arguments';
import { countRecords, type RecordCounts } from './count-records';
import type { EffectAudit } from './effect-audit';
import { personalVariablesOf } from './personal-variables';
import { newDigestSalt, redactVariables, saltedDigest } from './redact-variables';

/** What every request's audit shares: where events go, how values are digested, whose records a type holds. */
export interface Auditing {
  log: AuditLog;
  /** The key personal values are digested under, with a salt drawn per event (redact-variables.ts). */
  redactionKey: string;
  /** Per connection type, the type its `totalCount` counts (`countedTypes`). */
  counted: ReadonlyMap<string, string>;
  agencies: AgencyRegistry;
  onFailure(error: unknown): void;
}

type ResponseBody = { data?: Record<string, unknown> | null; errors?: ReadonlyArray<unknown> } | null;

/** How a request ended as its audit saw it, for the request's log line: nothing personal. */
export interface AuditedOutcome {
  outcome: AuditEventContent['outcome'];
  /** Why it was refused (the event's `refusal`), or `AUDIT_UNAVAILABLE` when its answer was replaced. */
  code: string | null;
  /** Records of the agencies' data returned (the event's per-agency counts, summed). */
  records: number;
}

/**
 * One request's audit event: who, under which agreement, why, what was asked (document hash, the
 * server's signature of the operation, every argument and variable with personal values
 * digested), what came back (fields, records returned and counted per type and per providing
 * agency), the outcome and the time taken. Created with the request's context; the audit plugin
 * tells it when the request starts, executes and answers. A mutation writes the event itself,
 * in the transaction of its effect (`appendWithin`, as the context's `effectAudit`), and then
 * `finish` writes none: one event per request. Fail closed: if the event cannot be written the
 * caller gets an error, not the data.
 */
export class RequestAudit implements EffectAudit {
  private started = performance.now();
  private request: GraphQLRequest | null = null;
  /**
   * The mutation's own event: not tried, failed to append, appended in a transaction not (yet)
   * committed (rolled back if the request ends so), or committed with the effect.
   */
  private effect: 'none' | 'failed' | 'appended' | 'committed' = 'none';
  private executed = false;
  /** Set where the front waits for the event's write itself (`deferWrite`). */
  private deferred = false;
  /** Once `finish` started the write the front waits for: the refusal to send instead, once written. */
  private writing: Promise<AuditUnavailableError | null> | null = null;
  private recorded: AuditedOutcome | null = null;
  private exportPage: AuditEventContent['export'] | null = null;

  constructor(
    private readonly auditing: Auditing,
    private readonly access: RequestAccess,
    private readonly operation: RequestOperation,
  ) {}

  /** The request as Apollo received it (its variables as the operation-shape check left them). */
  begin(request: GraphQLRequest): void {
    this.started = performance.now();
    this.request = request;
  }

  /** Marks the request as a page of an export, set by the hub (never by what the caller sends). */
  partOfExport(page: NonNullable<AuditEventContent['export']>): void {
    this.exportPage = page;
  }

  executionStarted(): void {
    this.executed = true;
  }

  /** What the request's event says of its outcome, once the event was made (null before, or without a resolved operation to audit). */
  get outcome(): AuditedOutcome | null {
    return this.recorded;
  }

  async appendWithin(client: PoolClient): Promise<void> {
    // A second mutation field of the same request: the request's one event is committed already, before this effect too.
    if (this.effect === 'committed') return;
    const analysis = this.operation.analysis;
    const content = analysis && this.contentOf(analysis.operation.name?.value ?? this.request?.operationName, null);
    try {
      if (!content) throw new Error('no resolved operation to audit');
      this.recorded = outcomeOf(content);
      await this.auditing.log.appendWithin(client, content);
      this.effect = 'appended';
    } catch (error) {
      this.effect = 'failed';
      this.auditing.onFailure(error);
      throw new AuditUnavailableError('NONE');
    }
  }

  committed(): void {
    this.effect = 'committed';
  }

  /**
   * The HTTP front sends the answer itself, after `beforeSending`: `finish` then starts the event's
   * write and returns, so Apollo writes the answer's JSON while PostgreSQL commits the event,
   * instead of after it. The answer still leaves only once the event is written.
   */
  deferWrite(): void {
    this.deferred = true;
  }

  /**
   * Where the front sends the answer itself (`deferWrite`): waits for the event's write; the
   * refusal to send instead of the answer when it could not be written, else null.
   */
  beforeSending(): Promise<AuditUnavailableError | null> {
    if (this.writing) return this.writing;
    // Apollo refused the request before its pipeline began (a batch, variables that are not JSON,
    // a method it does not take): its 4xx holds no data and nothing ran, so it goes out as it is.
    // A mutation's event was committed with its effect, and is the request's.
    if (!this.deferred || this.request === null || this.effect === 'committed') return Promise.resolve(null);
    // The pipeline began and `finish` never ran (Apollo answered without its last hook, on a
    // failure of its own): no event says what this answer is, so it does not leave.
    return Promise.resolve(this.refusalAfter(false, this.operation.analysis?.operation));
  }

  /** Writes the request's event before its answer leaves, or replaces the answer with a 503 if it cannot. */
  async finish(response: GraphQLResponse, operationName: string | null | undefined, operation: OperationDefinitionNode | undefined): Promise<void> {
    // Written already, with the mutation's effect.
    if (this.effect === 'committed') return;
    const body = response.body.kind === 'single' ? response.body.singleResult : null;
    const content = this.contentOf(operationName, body);
    this.recorded = outcomeOf(content);
    const written = this.auditing.log.append(content).then(
      () => true,
      (error: unknown) => {
        this.auditing.onFailure(error);
        return false;
      },
    );
    if (this.deferred) {
      this.writing = written.then((ok) => this.refusalAfter(ok, operation));
      return;
    }
    const refusal = this.refusalAfter(await written, operation);
    if (!refusal) return;
    // Set after formatting, so written here in its formatted shape.
    response.body = { kind: 'single', singleResult: { errors: [refusal.answered()] } };
    response.http.status = 503;
  }

  /** The refusal that replaces the answer once the event's write ended (`written`), or null to send it. */
  private refusalAfter(written: boolean, operation: OperationDefinitionNode | undefined): AuditUnavailableError | null {
    // A mutation refused because its own event could not be written is unaudited whatever this one did.
    if (written && this.effect !== 'failed') return null;
    // Nothing changed when the mutation's own event was not committed (its effect rolled back
    // with it), or when no mutation ran; a mutation that ran without writing one may have.
    const made: EffectMade = this.effect !== 'none' || !this.executed || operation?.operation !== 'mutation' ? 'NONE' : 'UNKNOWN';
    const refusal = new AuditUnavailableError(made);
    this.recorded = { outcome: 'ERROR', code: refusal.code, records: 0 };
    return refusal;
  }

  /** Records per providing agency, from records per type. */
  private perSource(byType: Record<string, number>): Record<string, number> {
    const sources: Record<string, number> = {};
    for (const [type, count] of Object.entries(byType)) {
      const source = this.auditing.agencies.providerOf(type);
      if (source) sources[source] = (sources[source] ?? 0) + count;
    }
    return sources;
  }

  // Without a resolved operation (a document that does not parse or validate) nothing says which
  // variables it declares: the analysis is null and every variable is digested.
  private contentOf(operationName: string | null | undefined, body: ResponseBody): AuditEventContent {
    const { access, operation } = this;
    const { viewer, grant } = access;
    const request = this.request ?? { query: undefined, variables: undefined, operationName: undefined };
    const analysis = operation.analysis;
    const data = body?.data ?? null;
    const records: RecordCounts =
      access.authorized && analysis && data
        ? countRecords(data, analysis.responsePaths(), this.auditing.counted)
        : { returned: {}, counted: {}, reached: new Set() };
    if (data) {
      for (const [type, count] of Object.entries(access.resolvedEntities)) records.returned[type] = (records.returned[type] ?? 0) + count;
      for (const [type, count] of Object.entries(access.creditedCounts)) records.counted[type] = (records.counted[type] ?? 0) + count;
    }
    const fieldsReturned: Record<string, number> = {};
    // What the response could hold, not all the document names: `@skip` and `@include` decide per request.
    for (const field of access.authorized && analysis ? includedFields(analysis, operation.variables ?? {}) : []) {
      const count = records.returned[field.slice(0, field.indexOf('.'))];
      if (count) fieldsReturned[field] = count;
    }
    // What a hub-native type read of an agency's records (a clue's evidence) is a read of that agency's data.
    const sources = this.perSource(data ? sum(records.returned, access.creditedReads) : records.returned);
    const sourcesCounted = this.perSource(records.counted);
    // A count or a page's information is a read of the counted type's provider, rows or not.
    for (const type of [...records.reached, ...Object.keys(records.counted)]) {
      const source = this.auditing.agencies.providerOf(type);
      if (source) sources[source] ??= 0;
    }
    const errors = body?.errors ?? [];
    const digestSalt = newDigestSalt();
    const digest = saltedDigest(this.auditing.redactionKey, digestSalt);
    const denied = access.denied;
    return {
      agency: viewer.agency,
      subject: viewer.subject,
      roles: viewer.roles,
      // The agreement it read under; for a refused caller, those that name it (lapsed ones too).
      agreement: (grant.agreements.length ? grant.agreements : access.covering).map((a) => a.id).join(',') || null,
      purpose: access.reason.purpose,
      // A case number the operation was checked against, or the one a refused request claimed
      // (its refusal code says so); one that nothing needed would link this record to a case
      // it had nothing to do with.
      caseNumber: access.authorized?.verifiedCaseNumber ?? (denied ? access.reason.caseNumber : null),
      // Declared widening of a case to every plate (access/case-binding.ts): recorded when it was granted.
      ...(grant.caseBinding?.scope === 'ALL_PLATES' ? { caseScope: 'ALL_PLATES' } : {}),
      operationName: operationName ?? request.operationName ?? null,
      documentHash: createHash('sha256')
        .update(request.query ?? '')
        .digest('hex'),
      operationSignature: analysis?.signature ?? null,
      variables: redactVariables(request.variables, personalVariablesOf(analysis), digest),
      arguments: analysis ? auditedArguments(analysis, operation.variables ?? undefined, digest) : [],
      digestSalt,
      fieldsReturned,
      recordsCounted: records.counted,
      sources,
      sourcesCounted,
      refusal: denied ? denied.code : null,
      outcome: denied ? 'DENIED' : errors.length === 0 ? 'OK' : data ? 'PARTIAL' : 'ERROR',
      durationMs: Math.round((performance.now() - this.started) * 100) / 100,
      ...(viewer.tokenId ? { tokenId: viewer.tokenId } : {}),
      ...(this.exportPage ? { export: this.exportPage } : {}),
    };
  }
}

/** Per type, `a`'s count plus `b`'s. */
function sum(a: Record<string, number>, b: Readonly<Record<string, number>>): Record<string, number> {
  const total: Record<string, number> = { ...a };
  for (const [type, count] of Object.entries(b)) total[type] = (total[type] ?? 0) + count;
  return total;
}

function outcomeOf(content: AuditEventContent): AuditedOutcome {
  const records = Object.values(content.sources ?? {}).reduce((sum, count) => sum + count, 0);
  return { outcome: content.outcome, code: content.refusal ?? null, records };
}
