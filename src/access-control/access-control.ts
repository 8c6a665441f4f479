import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLSchema } from 'graphql';
import type { Pool } from 'pg';
import { AccessPolicy } from '../access/access-grant';
import type { AccessContext } from '../access/access-context';
import { accessPlugin } from '../access/access-plugin';
import { loadAgreements } from '../access/agreements';
import { receiverAgreementOf } from '../access/receiver-agreement';
import type { ReceiverAgreement } from '../read-kit/receiver-agreement';
import { queueBoardGrant, type QueueBoardGrant } from '../access/queue-board-grant';
import { guardSchema } from '../access/field-guard';
import { CALLER_DESCRIPTION_TYPES } from '../access/my-access.resolver';
import { AGGREGATE_CELL_TYPES } from '../read-kit/aggregate/aggregate-result';
import { RequestAccess } from '../access/request-access';
import { AgencyAdmission, type Admission, type AdmissionLimits } from '../admission/agency-admission';
import { SharedRateLimits } from '../admission/shared-rate-limits';
import type { ChainVerdict, HeadSigningKey } from '../audit/audit-log';
import { auditPlugin, type AuditedContext } from '../audit/audit-plugin';
import { AuditTrail } from '../audit/audit-trail';
import { tokenIssuedEvent } from '../audit/token-events';
import { queueBoardEvent, type QueueBoardFacts } from '../audit/queue-board-events';
import type { RequestAudit } from '../audit/request-audit';
import type { AgencyRegistry } from '../auth/agencies';
import { AuthenticationError } from '../auth/authentication-error';
import { loadTrust } from '../auth/load-trust';
import { TokenAuthority } from '../auth/token-authority';
import type { OAuthSettings } from '../config';
import type { HubError } from '../errors';
import type { Logger } from '../logger';
import type { RequestOperation } from '../read-kit/operation/request-operation';
import type { Viewer } from '../read-kit/request-context';

export interface AccessControlOptions {
  /** The schema the agreements are checked against and that is guarded. */
  schema: GraphQLSchema;
  /** `AGREEMENTS_FILE`: agreements, jurisdictions and the agencies. */
  agreementsFile: string;
  /** `TRUST_CONFIG_FILE`, or null for the development keys under `dataDir`. */
  trustConfigFile: string | null;
  dataDir: string;
  /** How access tokens are issued and revoked (`/oauth/token`). */
  oauth: OAuthSettings;
  /** The hub's pool: tokens already used, the audit chain. */
  pool: Pool;
  /**
   * Connections of the audit's own for its group commits (`AuditLog`), so a request's event
   * never queues behind sync or token writes on the hub's pool; that pool when absent.
   */
  auditPool?: Pool;
  /** Signs the audit chain's heads and keys the digests of personal values. */
  hubKey: HeadSigningKey;
  /** Per-agency concurrency limits; null switches admission off (only tests and benchmarks do). */
  admission: AdmissionLimits | null;
  auditHeadIntervalMs: number;
  refusalCountIntervalMs: number;
  /** Where failures to audit, sign or read revocations are reported. */
  logger: Logger;
  /** Told of each bearer token verified and each audit append (the hub's metrics). */
  observer?: AccessObserver;
}

/** What access control reports as it works, for the hub's metrics. */
export interface AccessObserver {
  /** A bearer token was verified: `OK`, or the reason it was refused (`AuthFailure`), or `ERROR` when verifying failed. */
  tokenVerified(result: string): void;
  /** An audit event was appended, or failed to be, in `seconds`. */
  auditAppended(seconds: number, outcome: 'ok' | 'failed'): void;
}

/** What the HTTP edge asks before a request reaches GraphQL (the hooks of `createHubServer`). */
export interface EdgeControl {
  /** Verifies the bearer token: the caller, or `AuthenticationError`. */
  authenticate(authorization: string | undefined): Promise<Viewer>;
  /** Counts a request refused before authentication; the counts are audited each interval. */
  onAuthenticationFailure(reason: string, source: string): Promise<void>;
  /** Audits a verified caller's request refused at the edge: who, and why, without what it sent. */
  onRequestRefused(viewer: Viewer, refusal: HubError): Promise<void>;
  /**
   * Admits a verified caller's request within its agency's slots and every covering agreement's
   * rate limit; absent where admission is off.
   */
  admit?: (viewer: Viewer) => Promise<Admission>;
  /** Counts a verified caller's request refused by its agency's slots or an agreement's rate limit. */
  onThrottled(viewer: Viewer, limit: string): void;
}

/** What access control puts on one verified caller's request context. */
export interface RequestControl {
  viewer: Viewer;
  access: RequestAccess;
  effectAudit: RequestAudit;
  auditTrail: {
    verify(options: { incremental: boolean }): Promise<ChainVerdict>;
    readonly agencies: readonly string[];
    readsDataAccessReportOf(source: string): boolean;
  };
}

/** Who may use the queue dashboard (`/admin/queues`) and how its requests are audited. */
export interface QueueBoardControl {
  /** The caller's dashboard grant (the agreement that grants `triggerSync`, and its queue actions), or `AccessDeniedError`. */
  grantOf(viewer: Viewer): QueueBoardGrant;
  /** Appends a dashboard request's event to the audit chain; rejects when it cannot (the request is refused then). */
  audit(facts: QueueBoardFacts): Promise<void>;
}

/** Authentication, agreements, masking, row scopes, admission and the audit, as the composition uses them. */
export interface AccessControl {
  /** The schema as callers reach it: root fields behind graphql-shield, every other field behind its grant and mask. */
  schema: GraphQLSchema;
  /** The agencies of the agreements file. */
  agencies: AgencyRegistry;
  /** Issues (`/oauth/token`), verifies and revokes access tokens; the composition serves its routes and tells it its address. */
  tokens: TokenAuthority;
  /** Verifies a bearer token (also `edge.authenticate`). */
  authenticate(authorization: string | undefined): Promise<Viewer>;
  edge: EdgeControl;
  /**
   * Admits a live operation as `edge.admit` admits a request: a subscription's start under the
   * agency's request slots and its agreements' rate limits; an event's delivery under the request
   * slots only (its pace is the connection's, `LIVE_DELIVERIES_PER_SECOND`). Absent where admission is off.
   */
  admitLive?: (viewer: Viewer, delivery: boolean) => Promise<Admission>;
  /**
   * Apollo plugins, after the composition's pre-execution check (which analyses the operation):
   * the access check before execution, then the audit of every request.
   */
  plugins: ApolloServerPlugin<AccessContext & AuditedContext>[];
  queueBoard: QueueBoardControl;
  /** The per-request members of a verified caller's context; `operation` is the request's one analysis. */
  forRequest(viewer: Viewer, operation: RequestOperation): RequestControl;
  /** Writes the counts of requests refused at the edge now (each interval and at close otherwise). */
  flushRefusalCounts(): Promise<void>;
  /** What `agency`'s `role` may see under its agreement in force for `purpose` (what this hub sends a peer bureau is shaped by it); null: none in force. */
  receiverAgreement(agency: string, role: string, purpose: string): ReceiverAgreement | null;
  close(): Promise<void>;
}

/**
 * The one place access control is assembled: the agreements file (agreements, jurisdictions,
 * agencies) checked against the schema, the token verifier over the trust configuration, the
 * agencies' admission, the audit trail, the guarded schema and the Apollo plugins. The hub's
 * composition sees only this.
 */
export async function createAccessControl(options: AccessControlOptions): Promise<AccessControl> {
  const { schema, pool, observer } = options;
  const file = loadAgreements(options.agreementsFile, schema);
  const policy = new AccessPolicy(file.agreements, file.jurisdictions);
  const trail = new AuditTrail(options.auditPool ?? pool, options.hubKey, schema, file.agencies, {
    headIntervalMs: options.auditHeadIntervalMs,
    refusalCountIntervalMs: options.refusalCountIntervalMs,
    logger: options.logger.child({ component: 'audit' }),
    onAppended: observer ? (seconds, outcome) => observer.auditAppended(seconds, outcome) : undefined,
  });
  const tokens = await TokenAuthority.start({
    settings: options.oauth,
    trust: await loadTrust(options.trustConfigFile, options.dataDir, file.agencies),
    agencies: file.agencies,
    pool,
    hubPrivateKey: options.hubKey.privateKey,
    logger: options.logger.child({ component: 'tokens' }),
    onIssued: ({ client, scope, token, durationMs }) =>
      trail.record(
        tokenIssuedEvent({
          agency: client.agency,
          clientId: client.clientId,
          roles: scope.roles,
          scope: token.scope,
          tokenId: token.jti,
          durationMs,
        }),
      ),
  });
  // Rate limits are the agreements', whatever the number of instances: their buckets live in the database.
  const admission = options.admission ? new AgencyAdmission(options.admission, new SharedRateLimits(options.pool)) : null;
  const authenticate = async (authorization: string | undefined) => {
    try {
      const viewer = await tokens.verifier.verify(authorization);
      observer?.tokenVerified('OK');
      return viewer;
    } catch (error) {
      observer?.tokenVerified(error instanceof AuthenticationError ? error.reason : 'ERROR');
      throw error;
    }
  };
  const agencyIds = file.agencies.ids;
  return {
    // `_Service` is reached only through `_service`, which is open exactly when introspection is.
    schema: guardSchema(schema, new Set([...CALLER_DESCRIPTION_TYPES, '_Service']), AGGREGATE_CELL_TYPES),
    agencies: file.agencies,
    tokens,
    authenticate,
    edge: {
      authenticate,
      onAuthenticationFailure: async (reason, source) => trail.countRefusedToken(reason, source),
      onRequestRefused: (viewer, refusal) => trail.auditRefusedRequest(viewer, refusal),
      // Charged to every covering agreement that declares a rate limit: which one governs the
      // request is settled later (by its purpose), and none may be exceeded.
      admit: admission
        ? (viewer) =>
            admission.admit(
              viewer.agency,
              policy.agreementsOf(viewer).flatMap((a) => (a.rateLimit ? [{ id: a.id, rateLimit: a.rateLimit }] : [])),
            )
        : undefined,
      onThrottled: (viewer, limit) => trail.countThrottled(viewer, limit),
    },
    admitLive: admission
      ? (viewer, delivery) =>
          admission.admit(
            viewer.agency,
            delivery ? [] : policy.agreementsOf(viewer).flatMap((a) => (a.rateLimit ? [{ id: a.id, rateLimit: a.rateLimit }] : [])),
          )
      : undefined,
    plugins: [accessPlugin(), auditPlugin()],
    queueBoard: {
      grantOf: (viewer) => queueBoardGrant(policy, viewer, new Date()),
      audit: (facts) => trail.record(queueBoardEvent(facts)),
    },
    forRequest(viewer, operation) {
      const access = new RequestAccess(viewer, policy);
      return {
        viewer,
        access,
        effectAudit: trail.forRequest(access, operation),
        auditTrail: {
          verify: (verifyOptions) => trail.verify(verifyOptions),
          agencies: agencyIds,
          readsDataAccessReportOf: (source) => access.grant.readsDataAccessReportOf(source),
        },
      };
    },
    flushRefusalCounts: () => trail.flushRefusalCounts(),
    receiverAgreement: (agency, role, purpose) => receiverAgreementOf(file.agreements, agency, role, purpose, new Date()),
    async close() {
      await tokens.close();
      await trail.close();
    },
  };
}
