import type { AccessContext, CallerState } from '../access/access-context';
import type { AccessGrant } from '../access/access-grant';
import type { ChainVerdict } from '../audit/audit-log';
import type { EffectAudit } from '../audit/effect-audit';
import type { AuditContext } from '../domains/audit';
import type { CheckpointContext } from '../domains/checkpoint';
import type { CreditContext } from '../domains/credit';
import type { EnforcementContext } from '../domains/enforcement';
import type { EnterpriseContext } from '../domains/enterprise';
import type { LicenceContext } from '../domains/licence';
import type { PractitionerContext } from '../domains/practitioner';
import type { SyncContext } from '../domains/sync';
import type { VehicleContext } from '../domains/vehicle';
import type { WeighingContext } from '../domains/weighing';
import type { SyncControl } from '../sync/sync-control';
import type { Loaders } from './loaders';
import type { RequestOperation } from '../read-kit/operation/request-operation';

/**
 * Everything a resolver may use, created fresh for each request. It extends the context every
 * domain and access control declare they read, so the compiler checks this one provides it all.
 */
export interface HubContext extends AccessContext, AuditContext, CheckpointContext, CreditContext, EnforcementContext,
  EnterpriseContext, LicenceContext, PractitionerContext, SyncContext, VehicleContext, WeighingContext {
  operation: RequestOperation;
  loaders: Loaders;
  access: AccessGrant | null;
  caller: CallerState | null;
  /** The audit trail's verifier; null only where access control (and so the audit) is off. */
  auditTrail: { verify(options: { incremental: boolean }): Promise<ChainVerdict> } | null;
  /** Operators' control of the sync queues; null where the hub has none. */
  sync: SyncControl | null;
  /**
   * Where a mutation writes its audit event, in the transaction of its effect (set by the audit
   * plugin); null where access control (and so the audit) is off.
   */
  effectAudit: EffectAudit | null;
}
