import 'reflect-metadata';
import { createHash } from 'node:crypto';
import type http from 'node:http';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLSchema } from 'graphql';
import type { HubConfig } from './config';
import { openDatabase, type Database } from './db/database';
import { entityModelOf, HUB_DOMAINS } from './domains';
import { AccessPolicy, type AccessGrant } from './access/access-grant';
import { accessPlugin } from './access/access-plugin';
import { loadAgreements } from './access/agreements';
import { guardSchema } from './access/field-guard';
import { CALLER_DESCRIPTION_TYPES } from './access/my-access.resolver';
import { loadTrust } from './auth/load-trust';
import { TokenUseRegistry } from './auth/token-use-registry';
import { TokenVerifier } from './auth/token-verifier';
import { AuditLog, publicKeyOf, type ChainVerdict, type HeadSigningKey } from './audit/audit-log';
import type { AuditEventContent } from './audit/audit-event';
import { auditPlugin } from './audit/audit-plugin';
import { RefusalTally, type RefusalCount } from './audit/refusal-tally';
import { loadOrCreateHubKey } from './audit/hub-key';
import type { HubError } from './errors';
import type { CallerState } from './access/access-context';
import type { HubContext } from './graphql/context';
import type { Viewer } from './read-kit/request-context';
import { enforceQueryLimits } from './graphql/enforce-limits';
import { checkOperationShape } from './graphql/operation-shape';
import { createErrorFormatter } from './graphql/format-error';
import { requestError } from './errors/hub-graphql-error';
import { RequestOperation } from './read-kit/operation/request-operation';
import { DEFAULT_QUERY_LIMITS, type QueryLimits } from './graphql/query-limits';
import { HUB_PARTS } from './graphql/composition';
import { buildHubSchema } from './graphql/schema';
import { loadersOf, relationsOf } from './read-kit/domain-descriptor';
import { setCursorKey } from './read-kit/pagination';
import { createHubServer, listen } from './http/hub-server';
import type { Logger } from './logger';
import { queueBackend } from './sync/queue-backend';
import { SyncControl } from './sync/sync-control';
import { AgencyAdmission, type Admission } from './admission/agency-admission';
import { StatisticsCache, type TableStatistics } from './db/table-statistics';

/** A running hub: where it listens, its database, and how to stop it cleanly. */
export interface Hub {
  url: string;
  graphqlUrl: string;
  db: Database;
  /** Writes the counts of requests refused before authentication now (each minute and at shutdown otherwise). */
  flushRefusalCounts(): Promise<void>;
  close(): Promise<void>;
}

export interface HubOptions {
  /**
   * Authentication, agreements, masking, row scopes and audit. Only benchmarks switch it off, to
   * measure what it costs; nothing in the configuration can.
   */
  accessControl?: boolean;
  limits?: QueryLimits;
  /** How often the audit chain's head is signed, ms (default one minute). */
  auditHeadIntervalMs?: number;
  /** How often the counts of requests refused before authentication are written, ms (default one minute). */
  refusalCountIntervalMs?: number;
  /** Sync queues to trigger runs on; by default the configured backend's (closed with the hub). */
  sync?: SyncControl;
  /**
   * Table statistics that price lists (tests give a known volume); by default the database's
   * own, re-read every `STATISTICS_REFRESH_SECONDS`.
   */
  statistics?: TableStatistics;
  /** Per-agency concurrency and agreement rate limits; only tests and benchmarks switch them off. */
  admission?: boolean;
}

/** The access-control side of the hub: who the caller is and what it may see. */
interface AccessControl {
  schema: GraphQLSchema;
  authenticate(authorization: string | undefined): Promise<Viewer>;
  callerOf(req: http.IncomingMessage, viewer: Viewer): { access: AccessGrant; caller: CallerState };
  plugins: ApolloServerPlugin<HubContext>[];
  auditTrail: { verify(options: { incremental: boolean }): Promise<ChainVerdict> };
  admit(viewer: Viewer): Promise<Admission>;
  /** Counts a request refused before authentication; the counts are audited each minute (`RefusalTally`). */
  countRefusedToken(reason: string, source: string): void;
  /** Counts a verified caller's request refused by its agency's slots or its agreement's rate limit. */
  countThrottled(viewer: Viewer, limit: string): void;
  flushRefusalCounts(): Promise<void>;
  /** Audits a verified caller's request refused at the edge: who, and why, without what it sent. */
  auditRefusedRequest(viewer: Viewer, refusal: HubError): Promise<void>;
  close(): Promise<void>;
}

async function setUpAccessControl(
  config: HubConfig, logger: Logger, database: Database, schema: GraphQLSchema, options: HubOptions, hubKey: HeadSigningKey,
): Promise<AccessControl> {
  const agreementsFile = loadAgreements(config.agreementsFile, schema);
  const policy = new AccessPolicy(agreementsFile.agreements, agreementsFile.jurisdictions);
  const verifier = new TokenVerifier(await loadTrust(config.trustConfigFile, config.dataDir), new TokenUseRegistry(database.pool));
  const auditLog = new AuditLog(database.pool);
  const admission = new AgencyAdmission(config.readLimits);
  // Personal values in events are digested under this key with a salt drawn per event (audit-plugin.ts).
  const secret = hubKey.privateKey.export({ type: 'pkcs8', format: 'der' });
  const redactionKey = createHash('sha256').update('audit-redaction').update(secret).digest('hex');
  const signHead = () => auditLog.signHead(hubKey).catch((error: unknown) => logger.error(`audit head signing failed: ${String(error)}`));
  const timer = setInterval(signHead, options.auditHeadIntervalMs ?? 60_000);
  timer.unref();
  /** Refusals counted, not chained one by one: each count becomes one event naming `agency` (or the source) and the refusal. */
  /** A refusal's event: who (as far as known) and why, nothing of what was sent. */
  const refusedEvent = (who: Pick<Viewer, 'agency' | 'subject' | 'roles'>, refusal: string): AuditEventContent => ({
    agency: who.agency, subject: who.subject, roles: who.roles, agreement: null, purpose: null, caseNumber: null, operationName: null,
    documentHash: '', variables: {}, fieldsReturned: {}, sources: {}, refusal, outcome: 'DENIED', durationMs: 0,
  });
  const tally = (agencyOf: (count: RefusalCount) => string, refusal: string) => new RefusalTally((count) => auditLog.append({
    ...refusedEvent({ agency: agencyOf(count), subject: '', roles: [] }, `${refusal}:${count.reason}`),
    refused: { source: count.source, count: count.count, from: count.from.toISOString(), to: count.to.toISOString() },
  }).then(() => undefined));
  // Tokens refused before anyone is known, per source address and reason.
  const refusals = tally(() => 'unauthenticated', 'UNAUTHENTICATED');
  // Requests a verified agency sent over its own slots or rate limit read nothing: counted per
  // agency and limit like refused tokens, so a flooding agency cannot grow the chain by its flood.
  const throttled = tally((count) => count.source, 'QUERY_LIMIT_EXCEEDED');
  const flushRefusals = () => Promise.all([refusals.flush(), throttled.flush()]).then(() => undefined)
    .catch((error: unknown) => logger.error(`audit of refused requests failed (counts kept for the next try): ${String(error)}`));
  const refusalTimer = setInterval(flushRefusals, options.refusalCountIntervalMs ?? 60_000);
  refusalTimer.unref();
  return {
    // `_Service` is reached only through `_service`, which is open exactly when introspection is.
    schema: guardSchema(schema, new Set([...CALLER_DESCRIPTION_TYPES, '_Service'])),
    authenticate: (authorization) => verifier.verify(authorization),
    callerOf(req, viewer) {
      // The declared reason is read, and the grant settled, by the access plugin.
      return {
        access: policy.emptyGrant(viewer),
        caller: { reason: { purpose: null, caseNumber: null, agreement: null, caseScope: null }, covering: policy.agreementsOf(viewer), refusal: null, authorized: null, denied: null, resolvedEntities: {} },
      };
    },
    auditTrail: { verify: (options) => auditLog.verify(new Map([[hubKey.keyId, publicKeyOf(hubKey)]]), options) },
    // Charged to every covering agreement that declares a rate limit: which one governs the
    // request is settled later (by its purpose), and none may be exceeded.
    admit: (viewer) => admission.admit(viewer.agency, policy.agreementsOf(viewer).flatMap((a) => (a.rateLimit ? [{ id: a.id, rateLimit: a.rateLimit }] : []))),
    countRefusedToken: (reason, source) => refusals.count(source, reason),
    countThrottled: (viewer, limit) => throttled.count(viewer.agency, limit),
    flushRefusalCounts: flushRefusals,
    async auditRefusedRequest(viewer, refusal) {
      await auditLog.append(refusedEvent(viewer, refusal.code));
    },
    plugins: [accessPlugin(schema, policy), auditPlugin(schema, auditLog, redactionKey, (error) => logger.error(`audit append failed: ${String(error)}`))],
    async close() {
      clearInterval(timer);
      clearInterval(refusalTimer);
      await flushRefusals();
      await signHead();
    },
  };
}

/** Opens the database (migrating it), builds the schema and serves HTTP. */
export async function startHub(config: HubConfig, logger: Logger, db?: Database, options: HubOptions = {}): Promise<Hub> {
  const database = db ?? await openDatabase(config, entityModelOf(HUB_DOMAINS), logger);
  // Cursors are sealed with a key of the hub's own, so every instance sharing it accepts the others'.
  const hubKey = loadOrCreateHubKey(config.dataDir);
  setCursorKey(createHash('sha256').update('cursor').update(hubKey.privateKey.export({ type: 'pkcs8', format: 'der' })).digest());
  const baseSchema = await buildHubSchema(HUB_PARTS);
  const relations = relationsOf(HUB_PARTS.domains);
  const accessControl = options.accessControl === false ? null : await setUpAccessControl(config, logger, database, baseSchema, options, hubKey);
  const schema = accessControl?.schema ?? baseSchema;
  const limits = options.limits ?? DEFAULT_QUERY_LIMITS;
  const statisticsCache = options.statistics ? null : new StatisticsCache(database.pool, (error) => logger.warn(`table statistics not read: ${String(error)}`));
  await statisticsCache?.start(config.readLimits.statisticsRefreshSeconds * 1000);
  const statistics = () => options.statistics ?? statisticsCache!.current;
  const sync = options.sync ?? new SyncControl(database.pool, queueBackend(config, database.url), { logger });
  const apollo = new ApolloServer<HubContext>({
    schema,
    formatError: createErrorFormatter((line) => logger.error(line)),
    includeStacktraceInErrorResponses: false,
    // No "did you mean" suggestions: they enumerate the schema to whoever probes it.
    hideSchemaDetailsFromClientErrors: true,
    allowBatchedHttpRequests: false,
    // Automatic persisted queries would share one document cache across agencies (whether a hash
    // is known tells who asked what) and leave the audit without the document it hashes.
    persistedQueries: false,
    csrfPrevention: true,
    // Introspection is decided per caller by its agreement (checked before execution), not here.
    introspection: true,
    parseOptions: { maxTokens: limits.maxTokens },
    // The hub owns shutdown (main.ts): Apollo's own signal handlers would race it and re-raise the signal.
    stopOnTerminationSignals: false,
    // Federated tracing would send timing data to whatever router asks; HTTP cache hints do not
    // apply to per-agency data. Both would also wrap every field resolver.
    plugins: [
      ApolloServerPluginInlineTraceDisabled(),
      ApolloServerPluginCacheControlDisabled(),
      {
        async requestDidStart() {
          return {
            async didResolveOperation({ document, operation, contextValue, request }) {
              // Malformed requests and bombs are refused before access checks or reads: nothing runs for them.
              try {
                checkOperationShape(document, operation, request);
                // Analysed once for every later step: limits, access, projections (reads select only
                // the fields the operation does) and the audit.
                const analysis = contextValue.operation.resolve(schema, document, operation!);
                enforceQueryLimits(analysis, request.variables, limits, statistics());
              } catch (error) {
                if (contextValue.caller) contextValue.caller.denied = error as HubError;
                throw requestError(error as HubError);
              }
            },
          };
        },
      },
      ...(accessControl?.plugins ?? []),
    ],
  });
  await apollo.start();
  const server: http.Server = createHubServer({
    apollo,
    authenticate: accessControl?.authenticate,
    onAuthenticationFailure: accessControl ? async (reason, source) => accessControl.countRefusedToken(reason, source) : undefined,
    onRequestRefused: accessControl ? (viewer, refusal) => accessControl.auditRefusedRequest(viewer, refusal) : undefined,
    admit: accessControl && options.admission !== false ? (viewer) => accessControl.admit(viewer) : undefined,
    onThrottled: accessControl ? (viewer, limit) => accessControl.countThrottled(viewer, limit) : undefined,
    createContext: async (req, viewer, admission) => {
      const scope = { em: database.orm.em.fork(), sql: admission ? database.sql.gated(admission.statements) : database.sql };
      const callerState = accessControl && viewer ? accessControl.callerOf(req, viewer) : { access: null, caller: null };
      const context: HubContext = {
        ...scope, operation: new RequestOperation(), loaders: null as never, relations, viewer, sync, effectAudit: null,
        auditTrail: accessControl?.auditTrail ?? null, ...callerState,
      };
      context.loaders = loadersOf(HUB_PARTS.domains, context);
      return context;
    },
    isReady: () => database.isReady(),
    log: (line) => logger.error(line),
  });
  const address = await listen(server, config.port, config.host);
  const url = `http://${address.address.includes(':') ? `[${address.address}]` : address.address}:${address.port}`;
  return {
    url,
    graphqlUrl: `${url}/graphql`,
    db: database,
    flushRefusalCounts: async () => accessControl?.flushRefusalCounts(),
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Keep-alive connections would hold close() open until they time out.
      server.closeAllConnections();
      await closed;
      await apollo.stop();
      statisticsCache?.stop();
      await accessControl?.close();
      if (!options.sync) await sync.close();
      if (!db) await database.close();
    },
  };
}
