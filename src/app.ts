import 'reflect-metadata';
import { createHash } from 'node:crypto';
import type http from 'node:http';
import type { GraphQLSchema } from 'graphql';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import type { HubConfig } from './config';
import { openDatabase, type Database } from './db/database';
import { entityModelOf, HUB_DOMAINS } from './domains';
import { AGGREGATE_CELL_TYPES } from './read-kit/aggregate/aggregate-result';
import { createAccessControl } from './access-control/access-control';
import { loadAgencies } from './access/agreements';
import { loadOrCreateHubKey } from './audit/hub-key';
import { createHubContext, type HubContext } from './graphql/context';
import { createErrorFormatter } from './graphql/format-error';
import { operationPlugin } from './graphql/operation-plugin';
import { answerNotesPlugin } from './graphql/answer-notes-plugin';
import { RequestOperation } from './read-kit/operation/request-operation';
import { ReadGateway } from './read-kit/rows/read-gateway';
import { DEFAULT_QUERY_LIMITS, type QueryLimits } from './graphql/query-limits';
import { HUB_PARTS } from './graphql/composition';
import { buildHubSchema } from './graphql/schema';
import { CompiledExecution } from './graphql/compiled-execution';
import { printSubgraphSchema } from '@apollo/subgraph';
import { FederationNamespace } from './graphql/namespace/federation-namespace';
import { NAMESPACED_GRAPHQL_PATH, NamespacedSubgraph } from './graphql/namespace/namespaced-subgraph';
import { relationsOf } from './read-kit/domain-descriptor';
import { setCursorKey } from './read-kit/pagination';
import { createHubServer, listen, MAX_BODY_BYTES } from './http/hub-server';
import { oauthRoutes } from './http/oauth-routes';
import { JWT_BEARER_ASSERTION, TOKEN_PATH } from './auth';
import { createGraphiqlRoutes, DEV_SIGN_IN_PATH, type DevSignIn } from './http/graphiql/graphiql-routes';
import { reportRoutes } from './http/reports/report-routes';
import type { Logger } from './logger';
import { queueBackend } from './sync/queue-backend';
import { gradingRequests } from './sync/grading-trigger';
import { createQueueBoard } from './http/queue-board/queue-board-routes';
import { SyncControl } from './sync/operator';
import { StatisticsCache, type TableStatistics } from './db/table-statistics';
import { poolUsage } from './db/pool-usage';
import { HubMetrics } from './metrics/hub-metrics';
import { requestMetricsPlugin } from './metrics/request-metrics-plugin';
import { readerKey, readYourWritesPlugin } from './graphql/read-your-writes-plugin';
import { METRICS_PATH, metricsRoute } from './http/metrics-route';
import { publicInspectionsRoute } from './http/public-inspections-route';
import { SharedRateLimits } from './admission/shared-rate-limits';
import { lagSecondsSince, readStreamHealth } from './sync/state';
import { loadClueRules } from './supervision/clue-rules';
import { loadRiskGradeRules } from './supervision/risk-grade-rules';
import { loadInspectionRules } from './supervision/inspection-rules-file';
import { loadHolidayCalendar } from './supervision/holiday-calendar-file';
import { enterpriseNamed, readRoster } from './supervision/inspection-roster';
import { InspectionWrites, missingYears } from './domains/inspection';
import { ClueWorkflow } from './domains/clue';
import { WatchWrites } from './domains/watch';
import { CooperationWrites, type CooperationServices } from './domains/cooperation';
import { PeerDelivery } from './sync/peer-delivery';
import { CaseTransferWrites, CrimeCatalogueError, loadCrimeCatalogue } from './domains/case-transfer';
import type { Viewer } from './read-kit/request-context';
import type { LiveEvent } from './read-kit/live-event';
import { startLive } from './live/live';
import { RateLimitError } from './errors';
import type { Admission } from './admission/agency-admission';
import { ExportJobs } from './export/export-jobs';
import type { ExportQuery, PageResult } from './export/export-pages';
import { ExportLinks } from './export/export-link';
import { exportRoutes } from './export/export-routes';
import { loadPersistedOperations } from './export/export-request';
import { projectRoot } from './config';
import path from 'node:path';

/** A running hub: where it listens, its database, and how to stop it cleanly. */
export interface Hub {
  url: string;
  graphqlUrl: string;
  db: Database;
  /** How requests read the database (tests read the audit trail and sync state through it too). */
  reads: ReadGateway;
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
  /** The demo's role picker for GraphiQL (development keys only); absent, GraphiQL asks for a token. */
  devSignIn?: DevSignIn;
}

/** Opens the database (migrating it), builds the schema and serves HTTP. */
export async function startHub(config: HubConfig, logger: Logger, db?: Database, options: HubOptions = {}): Promise<Hub> {
  // Checked before anything opens, like the agreements: a broken rule file stops the hub.
  const crimeCatalogue = loadCrimeCatalogue(config.crimeCatalogueFile);
  loadClueRules(config.clueRulesFile, config.crimeCatalogueFile);
  loadRiskGradeRules(config.riskGradeRulesFile);
  const inspectionRules = loadInspectionRules(config.inspectionRulesFile, loadAgencies(config.agreementsFile).ids);
  const holidayCalendar = loadHolidayCalendar(config.holidayCalendarFile);
  for (const year of missingYears(holidayCalendar, new Date()))
    logger.warn(
      { year, file: config.holidayCalendarFile },
      "the holiday calendar has no such year: add its State Council notice; until then its publication due dates count Monday to Friday (never later than the notice's)",
    );
  const database = db ?? (await openDatabase(config, entityModelOf(HUB_DOMAINS), logger));
  const reads = new ReadGateway(database, {
    statementTimeoutMs: config.readLimits.statementTimeoutMs,
    onIdleError: (error) => logger.warn({ err: error }, 'idle database connection lost'),
    replicaUrl: config.databaseReadUrl,
  });
  await reads.start();
  // Cursors are sealed with a key of the hub's own, so every instance sharing it accepts the others'.
  const hubKey = loadOrCreateHubKey(config.dataDir);
  setCursorKey(
    createHash('sha256')
      .update('cursor')
      .update(hubKey.privateKey.export({ type: 'pkcs8', format: 'der' }))
      .digest(),
  );
  const backend = queueBackend(config, database.url);
  const sync = options.sync ?? new SyncControl(database.pool, backend, { logger });
  // A clue's status is an input of its enterprise's risk grade: a change asks the sync workers for a grading run.
  const grading = gradingRequests(backend, logger);
  const clueWorkflow = new ClueWorkflow(database.pool, () => void grading.request());
  const watchWrites = new WatchWrites(database.pool);
  // Draws are signed with the hub key that signs audit chain heads.
  const inspectionWrites = new InspectionWrites(database.pool, inspectionRules, holidayCalendar, readRoster, enterpriseNamed, hubKey);
  // Messages to peer bureaus are queued once committed and delivered by this process's worker.
  const peerDelivery = new PeerDelivery(database.pool, backend, config.cooperation, logger.child({ component: 'peer-delivery' }));
  const cooperationWrites = new CooperationWrites(database.pool, config.cooperation.hubAgency, (ids) => peerDelivery.enqueue(ids));
  const caseTransfers = new CaseTransferWrites(database.pool, crimeCatalogue);
  // What lives in the sync tables is read from them on each scrape, so one hub's /metrics shows
  // the lag of streams that workers in other processes sync.
  const metrics = new HubMetrics({
    streams: async () =>
      (await readStreamHealth(database.pool)).map(({ caughtUpAt, ...stream }) => ({
        ...stream,
        lagSeconds: caughtUpAt ? lagSecondsSince(caughtUpAt, Date.now()) : null,
      })),
    queues: () => sync.jobCounts(),
    pools: () => [{ pool: 'hub', ...poolUsage(database.pool) }, { pool: 'read', ...reads.usage() }, ...reads.replicaUsage()],
    replica: () => reads.replicaState(),
  });
  const baseSchema = await buildHubSchema(HUB_PARTS);
  const relations = relationsOf(HUB_PARTS.domains);
  const accessControl =
    options.accessControl === false
      ? null
      : await createAccessControl({
          schema: baseSchema,
          agreementsFile: config.agreementsFile,
          trustConfigFile: config.trustConfigFile,
          dataDir: config.dataDir,
          oauth: config.oauth,
          pool: database.pool,
          auditPool: database.auditPool,
          hubKey,
          admission: options.admission === false ? null : config.readLimits,
          auditHeadIntervalMs: options.auditHeadIntervalMs ?? 60_000,
          refusalCountIntervalMs: options.refusalCountIntervalMs ?? 60_000,
          logger,
          observer: metrics,
        });
  const schema = accessControl?.schema ?? baseSchema;
  // What is shared with a peer is shaped by the peer's own agreement with us: none without access control.
  const cooperation: CooperationServices = {
    writes: cooperationWrites,
    peers: config.cooperation.peers.map(({ id, agency }) => ({ id, agency })),
    receiverAgreement: (agency, role, purpose) => accessControl?.receiverAgreement(agency, role, purpose) ?? null,
  };
  // Provenance names the agency of a record's system, access control or not.
  const agencies = accessControl?.agencies ?? loadAgencies(config.agreementsFile);
  if (!agencies.has(crimeCatalogue.receivingAgency)) {
    throw new CrimeCatalogueError(
      config.crimeCatalogueFile,
      'receivingAgency',
      `names ${crimeCatalogue.receivingAgency}, which the agreements file does not declare`,
    );
  }
  const limits = options.limits ?? DEFAULT_QUERY_LIMITS;
  const statisticsCache = options.statistics ? null : new StatisticsCache(database.pool, (error) => logger.warn({ err: error }, 'table statistics not read'));
  await statisticsCache?.start(config.readLimits.statisticsRefreshSeconds * 1000);
  const statistics = () => options.statistics ?? statisticsCache!.current;
  // The queue dashboard is for verified administrators: without access control there is none.
  const queueBoard = accessControl
    ? createQueueBoard({
        backend,
        authenticate: accessControl.authenticate,
        onAuthenticationFailure: (reason, source) => void accessControl.edge.onAuthenticationFailure(reason, source),
        grantOf: accessControl.queueBoard.grantOf,
        audit: accessControl.queueBoard.audit,
        secureCookies: config.oauth.issuer?.startsWith('https:') ?? false,
        logger: logger.child({ component: 'queue-board' }),
      })
    : null;
  const execution = new CompiledExecution(schema, config.tracing === null, metrics, AGGREGATE_CELL_TYPES);
  const apollo = new ApolloServer<HubContext>({
    gateway: execution.gateway(),
    formatError: createErrorFormatter(logger.child({ component: 'graphql' })),
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
    // Compact JSON: Apollo's default indents every answer, which took 3-4 % of the hub's CPU on
    // list reads (`npm run bench:api-profile`) and a third more bytes on the wire; clients parse it.
    // One turn first: the request's audit event was handed to a pooled connection as the request
    // ended, which pg-pool gives on a later tick; so the event leaves for PostgreSQL and commits
    // while the JSON is written, instead of after it (the answer still waits for it: hub-server).
    stringifyResult: async (result) => {
      await new Promise(setImmediate);
      return `${JSON.stringify(result)}\n`;
    },
    // The hub owns shutdown (main.ts): Apollo's own signal handlers would race it and re-raise the signal.
    stopOnTerminationSignals: false,
    // Federated tracing would send timing data to whatever router asks; HTTP cache hints do not
    // apply to per-agency data. Both would also wrap every field resolver.
    plugins: [
      ApolloServerPluginInlineTraceDisabled(),
      ApolloServerPluginCacheControlDisabled(),
      // First of the checks before execution: it analyses the operation the others read.
      operationPlugin(schema, limits, statistics, config.cooperation.federationNamespace),
      ...(accessControl?.plugins ?? []),
      requestMetricsPlugin(),
      answerNotesPlugin(),
      ...(config.databaseReadUrl ? [readYourWritesPlugin((caller) => reads.wrote(caller))] : []),
    ],
  });
  await apollo.start();
  /** One request's context: over HTTP (`delivery` null), or over WebSocket a subscription's check (event null) or the delivery of an event. */
  const contextFor = (
    viewer: Viewer | null,
    delivery: { event: LiveEvent | null } | null,
    meter: HubContext['meter'],
    statements?: Parameters<ReadGateway['forRequest']>[1],
  ): HubContext => {
    const operation = new RequestOperation();
    const caller = accessControl && viewer ? accessControl.forRequest(viewer, operation) : { viewer, access: null, effectAudit: null, auditTrail: null };
    // With a replica, only queries read there: a mutation's payload and a live delivery read what was just written.
    const route = () => ({
      caller: viewer ? readerKey(viewer) : null,
      replica: delivery === null && operation.analysis?.operation.operation === 'query',
    });
    const rows = reads.forRequest({ operation, access: caller.access, relations }, statements, route);
    // The agreement is settled once the request declares its purpose: read when a watch is set.
    const watchRules = () => ({ caseNumberRequired: caller.access?.grant.agreement?.watches.caseNumberRequired ?? false, maxDays: config.watchMaxDays });
    return createHubContext({
      reads: rows,
      sql: rows.bookkeeping,
      operation,
      relations,
      sync,
      clueWorkflow,
      watchWrites,
      watchRules,
      inspectionWrites,
      inspectionRules,
      cooperation,
      caseTransfers,
      crimeCatalogue,
      liveEvent: delivery?.event ?? null,
      overWebSocket: delivery !== null,
      agencies,
      meter,
      ...caller,
    });
  };
  /** One page of an export, run as `viewer`'s request (admitted to one of its agency's slots, like a live delivery) and audited as the export's page. */
  const runExportPage = async (viewer: Viewer, query: ExportQuery, page: { id: string; format: string; number: number }): Promise<PageResult> => {
    // A page waits for a slot rather than fail the export: an export is a long, patient reader.
    let admission: Admission | undefined;
    for (;;) {
      try {
        admission = await accessControl!.admitLive?.(viewer, true);
        break;
      } catch (error) {
        if (!(error instanceof RateLimitError)) throw error;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
    try {
      const contextValue = contextFor(viewer, null, null, admission?.statements);
      contextValue.effectAudit?.partOfExport({ id: page.id, format: page.format, page: page.number });
      const response = await apollo.executeOperation(
        { query: query.query, variables: query.variables, operationName: query.operationName ?? undefined, extensions: query.extensions },
        { contextValue },
      );
      return response.body.kind === 'single' ? (response.body.singleResult as PageResult) : { errors: [{ message: 'Unexpected incremental response' }] };
    } finally {
      admission?.release();
    }
  };
  // Exports run each page as a request of their caller's, through Apollo and every plugin above.
  const exportJobs = accessControl
    ? new ExportJobs(
        backend,
        path.join(config.dataDir, 'exports'),
        config.exports.retentionHours,
        config.exports.strandedCheckSeconds * 1000,
        (viewer, query, page) => runExportPage(viewer, query, page),
        (jti, agency, issuedAt) => accessControl.tokens.isRevoked(jti, agency, issuedAt),
        logger,
      )
    : null;
  const exportLinks = new ExportLinks(
    createHash('sha256')
      .update('export-link')
      .update(hubKey.privateKey.export({ type: 'pkcs8', format: 'der' }))
      .digest(),
    config.exports.linkTtlSeconds,
  );
  const persisted = loadPersistedOperations(path.join(projectRoot, 'schema/operations'));
  const server: http.Server = createHubServer({
    apollo,
    ...accessControl?.edge,
    meterRequest: () => metrics.meterRequest(),
    // Peers' routers composing several Xietong hubs read this one under its namespace (README, "Composing hubs").
    namespaced: { path: NAMESPACED_GRAPHQL_PATH, subgraph: namespacedSubgraph(baseSchema, config.cooperation.federationNamespace, limits.maxTokens) },
    createContext: async (_req, viewer, admission, meter) => contextFor(viewer, null, meter, admission?.statements),
    isReady: () => database.isReady(),
    logger,
    polledPaths: [METRICS_PATH],
    routes: [
      // The token endpoint, keys and metadata exist where access control does.
      ...(accessControl ? [oauthRoutes(accessControl.tokens, (reason, source) => void accessControl.edge.onAuthenticationFailure(reason, source))] : []),
      metricsRoute({
        token: config.metricsToken,
        metrics,
        onRefused: (reason, source) => void accessControl?.edge.onAuthenticationFailure(reason, source),
      }),
      ...(queueBoard ? [queueBoard.route] : []),
      // 一公开: published results and draws, unauthenticated, public fields only, their load bounded (see PublicLimits).
      publicInspectionsRoute({
        reads: reads.forRequest({}, null, () => ({ caller: null, replica: true })),
        limits: config.publicLimits,
        // Its own single connection: a flood of public requests never waits on the hub's pool.
        shared: new SharedRateLimits(database.publicPool),
        maxTokens: limits.maxTokens,
      }),
      ...(accessControl && exportJobs
        ? [
            exportRoutes({
              authenticate: accessControl.authenticate,
              onAuthenticationFailure: (reason, source) => void accessControl.edge.onAuthenticationFailure(reason, source),
              onRequestRefused: (viewer, refusal) => accessControl.edge.onRequestRefused(viewer, refusal),
              execute: runExportPage,
              persisted,
              jobs: exportJobs,
              links: exportLinks,
              inlineMaxRows: config.exports.inlineMaxRows,
              maxTokens: limits.maxTokens,
              maxBodyBytes: MAX_BODY_BYTES,
              logger,
            }),
          ]
        : []),
      reportRoutes({
        operations: persisted,
        graphqlPath: '/graphql',
        tokenEndpoint: TOKEN_PATH,
        clientAssertionType: JWT_BEARER_ASSERTION,
        devSignInPath: config.graphiql && options.devSignIn ? DEV_SIGN_IN_PATH : null,
      }),
      ...(config.graphiql ? [createGraphiqlRoutes({ graphqlPath: '/graphql', tokenEndpoint: TOKEN_PATH, devSignIn: options.devSignIn ?? null })] : []),
    ],
  });
  // Subscriptions (graphql-ws) on the same server and path, each event executed like a request; only with access control.
  const live = accessControl
    ? await startLive({
        config,
        pool: database.pool,
        databaseUrl: database.url,
        server,
        schema,
        topics: HUB_PARTS.domains.flatMap((d) => ('liveTopics' in d ? d.liveTopics : [])),
        authenticate: accessControl.authenticate,
        maxTokens: limits.maxTokens,
        maxPayloadBytes: MAX_BODY_BYTES,
        // Live operations share the agency's admission with its HTTP requests: a subscription's
        // start is refused as a request would be; each delivery holds one of the agency's slots.
        execute: async (viewer, request, event) => {
          let admission: Admission | undefined;
          try {
            admission = await accessControl.admitLive?.(viewer, event !== null);
          } catch (error) {
            if (!(error instanceof RateLimitError)) throw error;
            accessControl.edge.onThrottled?.(viewer, error.limit);
            return { errors: [error.answered()] };
          }
          try {
            const response = await apollo.executeOperation(request, { contextValue: contextFor(viewer, { event }, null, admission?.statements) });
            return response.body.kind === 'single' ? response.body.singleResult : { errors: [] };
          } finally {
            admission?.release();
          }
        },
        logger: logger.child({ component: 'live' }),
      })
    : null;
  const address = await listen(server, config.port, config.host);
  peerDelivery.start();
  const url = `http://${address.address.includes(':') ? `[${address.address}]` : address.address}:${address.port}`;
  // Without OAUTH_ISSUER, the hub's tokens name the address it serves at as their issuer.
  accessControl?.tokens.bind(url);
  return {
    url,
    graphqlUrl: `${url}/graphql`,
    db: database,
    reads,
    flushRefusalCounts: async () => accessControl?.flushRefusalCounts(),
    async close() {
      // No new connections; requests in flight finish (and are audited) within the grace period.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Keep-alive connections would hold close() open until they time out: each is closed as soon as its request is answered.
      server.closeIdleConnections();
      const idle = setInterval(() => server.closeIdleConnections(), 50);
      let graceTimer: NodeJS.Timeout | undefined;
      const grace = new Promise<void>((resolve) => (graceTimer = setTimeout(resolve, config.shutdownGraceMs)));
      await live?.close();
      await peerDelivery.close();
      await Promise.race([closed, grace]);
      clearInterval(idle);
      clearTimeout(graceTimer);
      // Past the grace period: whatever is still open is cut (its request unanswered, its audit event written or the request refused).
      server.closeAllConnections();
      await closed;
      // A running export's pages need Apollo: its worker stops first.
      await exportJobs?.close();
      await apollo.stop();
      statisticsCache?.stop();
      await accessControl?.close();
      if (!options.sync) await sync.close();
      await grading.close();
      await queueBoard?.close();
      await reads.close();
      if (!db) await database.close();
    },
  };
}

function namespacedSubgraph(schema: GraphQLSchema, prefix: string, maxTokens: number): NamespacedSubgraph {
  const sdl = printSubgraphSchema(schema);
  return new NamespacedSubgraph(new FederationNamespace(prefix, sdl), sdl, maxTokens);
}
