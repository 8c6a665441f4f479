import type { AccessContext, CallerState } from '../access/access-context';
import type { AccessGrant } from '../access/access-grant';
import type { AuditContext } from '../domains/audit';
import type { CheckpointContext } from '../domains/checkpoint';
import type { CreditContext } from '../domains/credit';
import type { EnforcementContext } from '../domains/enforcement';
import type { EnterpriseContext } from '../domains/enterprise';
import type { LicenceContext } from '../domains/licence';
import type { PractitionerContext } from '../domains/practitioner';
import type { SyncContext } from '../sync/operator';
import type { VehicleContext } from '../domains/vehicle';
import type { WeighingContext } from '../domains/weighing';
import type { HUB_DOMAINS } from '../domains';
import type { LoadersOf } from '../read-kit/domain-descriptor';
import type { RequestOperation } from '../read-kit/operation/request-operation';

/**
 * Everything a resolver may use, created fresh for each request. It extends the context every
 * domain and access control declare they read, so the compiler checks this one provides it all;
 * the members below narrow theirs to what the composition creates.
 */
export interface HubContext extends AccessContext, AuditContext, CheckpointContext, CreditContext, EnforcementContext,
  EnterpriseContext, LicenceContext, PractitionerContext, SyncContext, VehicleContext, WeighingContext {
  operation: RequestOperation;
  loaders: LoadersOf<typeof HUB_DOMAINS>;
  access: AccessGrant | null;
  caller: CallerState | null;
}
