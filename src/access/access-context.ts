import type { RequestOperation } from '../read-kit/operation/request-operation';
import type { RequestContext } from '../read-kit/request-context';
import type { RequestAccess } from './request-access';

/** What access control reads on a request's context (the composed context has it all). */
export interface AccessContext extends RequestContext {
  /** The operation's one analysis, set once it is resolved (by the pre-execution plugin of the composition). */
  operation: RequestOperation;
  /** The caller's access during this request. Null only where access control is off. */
  access: RequestAccess | null;
}
