import type { EntityManager } from '@mikro-orm/postgresql';
import type { SqlClient } from '../db/sql-client';
import type { Loaders } from './loaders';
import type { RequestOperation } from './request-operation';
import type { AccessGrant } from '../access/access-grant';
import type { Agreement } from '../access/agreements';
import type { DeclaredReason } from '../access/authorize-operation';
import type { OperationAccess } from '../access/check-operation';
import type { HubError } from '../errors';
import type { SyncControl } from '../sync/sync-control';
import type { ChainVerdict } from '../audit/audit-log';
import type { EffectAudit } from '../audit/effect-audit';

/**
 * The verified caller of a request. Access control attaches it here when it authenticates the
 * request; resolvers never read headers themselves.
 */
export interface Viewer {
  agency: string;
  subject: string;
  roles: string[];
  /** Administrative divisions the caller works in (token claim `divisions`), for row scopes. */
  divisions: string[];
}

/** Everything a resolver may use, created fresh for each request. */
export interface HubContext {
  /** A forked EntityManager: its identity map lives and dies with the request. */
  em: EntityManager;
  /** Counted `pg` access for reads; repositories take `{ em, sql }` from here. */
  sql: SqlClient;
  /** The operation's analysis (fields selected, cost, signature), set once it is resolved. */
  operation: RequestOperation;
  loaders: Loaders;
  /** The authenticated caller; null only where access control is off (benchmarks). */
  viewer: Viewer | null;
  /** The caller's grant: field decisions and row scopes. Null only where access control is off. */
  access: AccessGrant | null;
  /** The audit trail's verifier; null only where access control (and so the audit) is off. */
  auditTrail: { verify(options: { incremental: boolean }): Promise<ChainVerdict> } | null;
  /** Operators' control of the sync queues; null where the hub has none. */
  sync: SyncControl | null;
  /**
   * Where a mutation writes its audit event, in the transaction of its effect (set by the audit
   * plugin); null where access control (and so the audit) is off.
   */
  effectAudit: EffectAudit | null;
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
