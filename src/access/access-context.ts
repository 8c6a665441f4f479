import type { HubError } from '../errors';
import type { RequestOperation } from '../read-kit/operation/request-operation';
import type { RequestContext } from '../read-kit/request-context';
import type { AccessGrant } from './access-grant';
import type { Agreement } from './agreements';
import type { DeclaredReason } from './authorize-operation';
import type { OperationAccess } from './check-operation';

/** What access control reads and writes on a request's context (the composed context has it all). */
export interface AccessContext extends RequestContext {
  /** The operation's analysis (fields selected, cost, signature), set once it is resolved. */
  operation: RequestOperation;
  /** The caller's grant: field decisions and row scopes. Null only where access control is off. */
  access: AccessGrant | null;
  /** What the caller declared and was found, for the checks before execution and the audit. */
  caller: CallerState | null;
}

export interface CallerState {
  reason: DeclaredReason;
  /** Agreements naming the caller's agency and roles, in force or not. */
  covering: Agreement[];
  /** Why the caller gets nothing beyond `myAccess` (no agreement, or none in force), if so. */
  refusal: HubError | null;
  /** Set before execution: what the operation reads, or why it was refused. */
  authorized: OperationAccess | null;
  denied: HubError | null;
  /** Entities federation references resolved to, per type (for the audit's record counts). */
  resolvedEntities: Record<string, number>;
}
