import type { AccessContext } from '../access/access-context';
import type { RequestAccess } from '../access/request-access';
import type { RequestAudit } from '../audit/request-audit';
import type { AuditContext } from '../audit/queries';
import type { CaseTransferContext } from '../domains/case-transfer';
import type { CheckpointContext } from '../domains/checkpoint';
import type { ClueContext, ClueLiveContext, ClueWorkflowContext } from '../domains/clue';
import type { WatchContext } from '../domains/watch';
import type { InspectionContext } from '../domains/inspection';
import type { CooperationContext } from '../domains/cooperation';
import type { LiveEvent } from '../read-kit/live-event';
import type { ProvenanceContext } from '../domains/common/provenance';
import type { CreditContext } from '../domains/credit';
import type { EnforcementContext } from '../domains/enforcement';
import type { EnterpriseContext } from '../domains/enterprise';
import type { LicenceContext } from '../domains/licence';
import type { PractitionerContext } from '../domains/practitioner';
import type { RiskGradeContext, RiskGradeLiveContext } from '../domains/risk-grade';
import type { SyncContext } from '../sync/operator';
import type { VehicleContext } from '../domains/vehicle';
import type { WeighingContext } from '../domains/weighing';
import type { MeteredContext } from '../metrics/request-metrics-plugin';
import { HUB_DOMAINS } from '../domains';
import { loadersOf, type LoadersOf } from '../read-kit/domain-descriptor';
import type { RequestOperation } from '../read-kit/operation/request-operation';
import { AnswerNotes } from '../read-kit/operation/answer-notes';
import type { Viewer } from '../read-kit/request-context';
import type { ReadScope } from '../read-kit/rows/read-scope';

/** Every domain's loaders for one request. */
type Loaders = LoadersOf<typeof HUB_DOMAINS>;

/**
 * Everything a resolver may use, created fresh for each request. It extends the context every
 * domain and access control declare they read, so the compiler checks this one provides it all;
 * the members below narrow theirs to what the composition creates.
 */
export interface HubContext
  extends
    AccessContext,
    AuditContext,
    CaseTransferContext,
    CheckpointContext,
    ClueContext,
    ClueWorkflowContext,
    ClueLiveContext,
    WatchContext,
    InspectionContext,
    CooperationContext,
    CreditContext,
    EnforcementContext,
    EnterpriseContext,
    LicenceContext,
    PractitionerContext,
    ProvenanceContext,
    RiskGradeContext,
    RiskGradeLiveContext,
    SyncContext,
    VehicleContext,
    WeighingContext,
    MeteredContext {
  readonly operation: RequestOperation;
  readonly loaders: Loaders;
  readonly access: RequestAccess | null;
  readonly effectAudit: RequestAudit | null;
  readonly liveEvent: LiveEvent | null;
  /** Whether the request came over WebSocket (a subscription's check or delivery), not HTTP. */
  readonly overWebSocket: boolean;
}

/** What one request's context is made of: its reads, its operation, its caller's access and audit, the hub's controls. */
export type RequestParts = Omit<HubContext, 'loaders' | 'answer'>;

/**
 * A request's context. Its members are set once, here, and never replaced: what changes during
 * the request lives in objects it holds (the operation's one analysis, the caller's access, the
 * audit event), each with one writer. Loaders are made on first use, when the operation is known
 * and authorized: from the grant and the analysis then in force, for that request only.
 * A class because Apollo hands resolvers a shallow copy of the context (`Object.assign` onto an
 * object of the same prototype), which keeps the `loaders` getter and shares `made`.
 */
class RequestContextOf implements HubContext {
  readonly operation: RequestOperation;
  readonly reads: HubContext['reads'];
  readonly sql: HubContext['sql'];
  readonly viewer: Viewer | null;
  readonly access: RequestAccess | null;
  readonly effectAudit: RequestAudit | null;
  readonly auditTrail: HubContext['auditTrail'];
  readonly agencies: HubContext['agencies'];
  readonly sync: HubContext['sync'];
  readonly clueWorkflow: HubContext['clueWorkflow'];
  readonly watchWrites: HubContext['watchWrites'];
  readonly watchRules: HubContext['watchRules'];
  readonly inspectionWrites: HubContext['inspectionWrites'];
  readonly inspectionRules: HubContext['inspectionRules'];
  readonly cooperation: HubContext['cooperation'];
  readonly caseTransfers: HubContext['caseTransfers'];
  readonly crimeCatalogue: HubContext['crimeCatalogue'];
  readonly liveEvent: LiveEvent | null;
  readonly overWebSocket: boolean;
  readonly relations: HubContext['relations'];
  readonly meter: HubContext['meter'];
  readonly answer = new AnswerNotes();
  private readonly made: { loaders: Loaders | null } = { loaders: null };

  constructor(parts: RequestParts) {
    this.operation = parts.operation;
    this.reads = parts.reads;
    this.sql = parts.sql;
    this.viewer = parts.viewer;
    this.access = parts.access;
    this.effectAudit = parts.effectAudit;
    this.auditTrail = parts.auditTrail;
    this.agencies = parts.agencies;
    this.sync = parts.sync;
    this.clueWorkflow = parts.clueWorkflow;
    this.watchWrites = parts.watchWrites;
    this.watchRules = parts.watchRules;
    this.inspectionWrites = parts.inspectionWrites;
    this.inspectionRules = parts.inspectionRules;
    this.cooperation = parts.cooperation;
    this.caseTransfers = parts.caseTransfers;
    this.crimeCatalogue = parts.crimeCatalogue;
    this.liveEvent = parts.liveEvent;
    this.overWebSocket = parts.overWebSocket;
    this.relations = parts.relations;
    this.meter = parts.meter;
  }

  get loaders(): Loaders {
    if (this.made.loaders) return this.made.loaders;
    if (!this.operation.analysis) throw new Error('Loaders are made for an analysed operation');
    // The request's reads apply its selection and its caller's row scope to every statement.
    const scope: ReadScope = { reads: this.reads, sql: this.sql };
    return (this.made.loaders = loadersOf(HUB_DOMAINS, scope));
  }
}

/** The context of one request. */
export function createHubContext(parts: RequestParts): HubContext {
  return new RequestContextOf(parts);
}
