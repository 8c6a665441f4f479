import path from 'node:path';

/** Log verbosity, most to least severe. */
export type LogLevel = 'error' | 'warn' | 'info' | 'debug';
const LOG_LEVELS: readonly LogLevel[] = ['error', 'warn', 'info', 'debug'];

/** How log lines are written: JSON lines, or coloured text for a developer's terminal (pino-pretty). */
export type LogFormat = 'json' | 'pretty';

/**
 * The hub's whole configuration. This module is the only reader of the environment;
 * everything else receives a `HubConfig` (tests build one with `loadConfig({...})`).
 */
/** Exports of the API's queries as CSV or XLSX (`POST /exports`). */
export interface ExportSettings {
  /**
   * `EXPORT_INLINE_MAX_ROWS`, default 10,000 (0 to 1,000,000): an export of at most this many rows
   * (its connection's `totalCount`, or one page) streams in the response; a larger one is queued.
   */
  inlineMaxRows: number;
  /** `EXPORT_LINK_TTL_SECONDS`, default 900 (30 to 86,400): how long a finished export's download link is valid. */
  linkTtlSeconds: number;
  /** `EXPORT_RETENTION_HOURS`, default 24 (1 to 720): how long a queued export's file is kept (under `DATA_DIR/exports`). */
  retentionHours: number;
  /**
   * `EXPORT_STRANDED_CHECK_SECONDS`, default 30 (1 to 3,600): how often an instance that has written
   * no export yet looks for queued exports nobody writes (their instance stopped or died).
   */
  strandedCheckSeconds: number;
}

/** The unauthenticated /public pages (一公开): nobody signs in, so their load is bounded on its own. */
export interface PublicLimits {
  /** `PUBLIC_RATE_PER_SECOND` (default 5) and `PUBLIC_RATE_BURST` (default 20): per source address, per instance. */
  perAddress: { requestsPerSecond: number; burst: number };
  /**
   * `PUBLIC_RATE_TOTAL_PER_SECOND` (default 50) and `PUBLIC_RATE_TOTAL_BURST` (default 100): all
   * addresses together, shared by every instance (kept in PostgreSQL), so many addresses or many
   * instances cannot multiply the load the public pages put on the database.
   */
  total: { requestsPerSecond: number; burst: number };
  /** `PUBLIC_MAX_CONCURRENT`, default 4: public requests served at once per instance; more are refused with 503. */
  maxConcurrent: number;
}

export interface HubConfig {
  /** `DATABASE_URL`. Unset: the hub starts an embedded PostgreSQL with its data under `dataDir`. */
  databaseUrl: string | null;
  /**
   * `DATABASE_READ_URL`: a streaming replica of `DATABASE_URL` (needs it) for the requests' reads.
   * Writes, the audit, tokens and the sync stay on the primary, and so do the reads of a mutation
   * and a caller's reads until the replica has replayed that caller's last write (see `ReadRouting`).
   */
  databaseReadUrl: string | null;
  /** `REDIS_URL`. Unset: BullMQ queues run on PostgreSQL. */
  redisUrl: string | null;
  /** `PORT`, default 4000. 0 picks a free port (tests). */
  port: number;
  /** `HOST`, default 127.0.0.1: the hub serves police and personal data, so it is not exposed by default. */
  host: string;
  /** `LOG_LEVEL`, default `info`. */
  logLevel: LogLevel;
  /**
   * `LOG_FORMAT`, default `json` (one JSON object per line on stderr); `pretty` for humans, with the
   * `pino-pretty` development dependency (refused when it is not installed).
   */
  logFormat: LogFormat;
  /** `XIETONG_DATA_DIR`, default `.data/` in the project: embedded PostgreSQL data and development keys. */
  dataDir: string;
  /** `EMBEDDED_PG_PORT`, default 54329: the embedded PostgreSQL's port when `DATABASE_URL` is unset. */
  embeddedPgPort: number;
  /** `DEMO_SEED`, default 20211: seed of the demo world that `npm start` loads. */
  demoSeed: number;
  /** `DEMO_SIZE`, default 1 (~2,000 enterprises, ~20,000 vehicles, ~1,000,000 captures). */
  demoSize: number;
  /** The upstream systems the sync workers read; a system left unset is not synced. */
  upstream: UpstreamConfig;
  /** `SYNC_INTERVAL_SECONDS`, default 300: how often each stream's incremental sync is scheduled. */
  syncIntervalSeconds: number;
  /** `QUEUE_PREFIX`, default `xietong`: keeps this deployment's queues apart from others on the same Redis. */
  queuePrefix: string;
  /**
   * `TRUST_CONFIG_FILE`: the agencies' token issuers and public keys (JSON, see README). Unset:
   * development keys under `dataDir/keys/dev`, created on first start.
   */
  trustConfigFile: string | null;
  /** `AGREEMENTS_FILE`, default `schema/policy/agreements.json`: the data-sharing agreements. */
  agreementsFile: string;
  /** `CLUE_RULES_FILE`, default `schema/rules/clue-rules.json`: the supervision clue rules (checked at start). */
  clueRulesFile: string;
  /** `RISK_GRADE_RULES_FILE`, default `schema/rules/risk-grade-rules.json`: the enterprise risk grade rules (checked at start). */
  riskGradeRulesFile: string;
  /** `INSPECTION_RULES_FILE`, default `schema/rules/inspection-items.json`: the random-inspection catalogue and draw parameters (checked at start). */
  inspectionRulesFile: string;
  /** `HOLIDAY_CALENDAR_FILE`, default `schema/rules/public-holidays.json`: statutory holidays and make-up working days per year (checked at start). */
  holidayCalendarFile: string;
  /** `CRIME_CATALOGUE_FILE`, default `schema/rules/crime-catalogue.json`: the crime catalogue of 两法衔接 (checked at start; the clue rules read it too). */
  crimeCatalogueFile: string;
  /**
   * `DEMO_FAULTS`: fault modes the demo's simulated systems start with (JSON, e.g.
   * `{"transport":{"serverErrorEvery":5},"exchange":{"malformedEvery":40}}`), null when unset. Demo
   * only: kept as text here and parsed by the demo (`src/demo/upstream/demo-faults.ts`), which
   * knows the simulators' fault modes.
   */
  demoFaults: string | null;
  /** `DEMO_PEERS` (`on`/`off`, default off): the demo also starts a second hub as the Shanghai bureau's and shares a clue with it. */
  demoPeers: boolean;
  /** How the read path is shared between agencies (see `ReadLimits`). */
  readLimits: ReadLimits;
  /**
   * `GRAPHIQL` (`on`/`off`): GraphiQL in the browser at `GET /graphql`. Default on, except with
   * `NODE_ENV=production` (`npm start` turns it on for the demo).
   */
  graphiql: boolean;
  /** The hub as an OAuth 2.0 authorization server (`/oauth/token`, see `OAuthSettings`). */
  oauth: OAuthSettings;
  /** Live alerts: the event outbox's relay and the WebSocket subscribers (see `LiveSettings`). */
  live: LiveSettings;
  /** The unauthenticated /public pages' limits (see `PublicLimits`). */
  publicLimits: PublicLimits;
  /** `WATCH_MAX_DAYS`, default 90 (1 to 366): how far ahead a watch (布控) may expire. */
  watchMaxDays: number;
  /** Exports (`POST /exports`, see `ExportSettings`). */
  exports: ExportSettings;
  /**
   * `SHUTDOWN_GRACE_MS`, default 10000 (0 to 600000): on SIGTERM, how long requests in flight may
   * take to finish once the hub stops accepting new ones; connections still open then are cut.
   */
  shutdownGraceMs: number;
  /**
   * `METRICS_TOKEN`: the bearer token Prometheus sends to `GET /metrics` (at least 16 visible
   * characters). Unset: `/metrics` answers loopback clients only.
   */
  metricsToken: string | null;
  /** Where traces are exported; null (the default, `OTEL_EXPORTER_OTLP_ENDPOINT` unset): tracing is off. */
  tracing: TracingSettings | null;
  /** Yangtze Delta cooperation (长三角): who this hub speaks for and its peer bureaus' hubs (see `CooperationSettings`). */
  cooperation: CooperationSettings;
}

/** One peer bureau's hub, as this hub delivers cooperation messages to it. */
export interface PeerHub {
  /** The peer's id in this configuration and in `shareClue(peer:)`, e.g. `shanghai` (lower-case letters, digits, `-`). */
  id: string;
  /** The agency that runs it, as the agreements file names it (`shanghai-transport`). */
  agency: string;
  /** Its GraphQL endpoint, e.g. `https://hub.sh.example.gov.cn/graphql`. */
  graphqlUrl: string;
  /** Its OAuth 2.0 token endpoint (`…/oauth/token`), where this hub gets client-credentials tokens. */
  tokenUrl: string;
  /** This hub's client id at the peer (the issuer its trust configuration lists this hub's key under). */
  clientId: string;
  /** The private JWK (ES256 or EdDSA) this hub signs its client assertions to the peer with. */
  keyFile: string;
}

/** How this hub cooperates with peer bureaus' hubs. */
export interface CooperationSettings {
  /** `HUB_AGENCY`, default `suzhou-transport`: the agency that runs this hub (the sender of what it shares, the recipient of what it receives). */
  hubAgency: string;
  /**
   * `PEERS`: JSON array of `PeerHub`, e.g. `[{"id":"shanghai","agency":"shanghai-transport","graphqlUrl":…,"tokenUrl":…,"clientId":…,"keyFile":…}]`.
   * Unset: no peers (every share is refused as to an unknown peer).
   */
  peers: PeerHub[];
  /**
   * `FEDERATION_NAMESPACE`, default the first word of `HUB_AGENCY` (`suzhou`): the prefix of this
   * hub's names in its subgraph for peers' routers that compose several Xietong hubs, served at
   * `/graphql/namespaced` (`sz_vehicles`, `Vehicle.sz_vin`, `sz_VehicleConnection`; README,
   * "Composing hubs"). Lower-case letters and digits, starting with a letter, at most 16.
   */
  federationNamespace: string;
  /** `PEER_RETRY_MS`, default 5000 (100 to 600000): how long a delivery to a peer that is down waits before the next try. */
  retryMs: number;
}

/** How the process exports OpenTelemetry traces (OTLP over HTTP). */
export interface TracingSettings {
  /**
   * `OTEL_EXPORTER_OTLP_ENDPOINT`: the collector's base URL, e.g. `http://127.0.0.1:4318`; spans go
   * to `<endpoint>/v1/traces`, as the OpenTelemetry specification says for this variable.
   */
  tracesUrl: string;
  /** `OTEL_EXPORTER_OTLP_PROTOCOL`: `http/protobuf` (the default) or `http/json`. */
  protocol: OtlpProtocol;
}

/** The OTLP encodings the hub exports in (OTLP over gRPC is not supported). */
export type OtlpProtocol = 'http/protobuf' | 'http/json';
const OTLP_PROTOCOLS: readonly OtlpProtocol[] = ['http/protobuf', 'http/json'];

/** How the hub issues and revokes the access tokens clients reuse. */
export interface OAuthSettings {
  /**
   * `OAUTH_ISSUER`: the hub's issuer identifier (RFC 8414), its public base URL without a trailing
   * slash, e.g. `https://hub.example.gov.cn`. Unset: the URL the hub listens on. Every instance
   * behind one address must be given the same value, or each refuses the others' tokens.
   */
  issuer: string | null;
  /** `ACCESS_TOKEN_TTL_SECONDS`, default 600: how long an access token from `/oauth/token` is accepted. */
  accessTokenTtlSeconds: number;
  /**
   * `TOKEN_REVOCATION_POLL_MS`, default 500: how often each instance reads new revocations; a
   * revoked token is refused everywhere within this (plus one query) of the revocation.
   */
  revocationPollMs: number;
}

/** What keeps one consumer from starving the others on the read pool. */
export interface ReadLimits {
  /** `READ_STATEMENT_TIMEOUT_MS`, default 5000: a read statement running longer is cancelled (`QUERY_TIMEOUT`). */
  statementTimeoutMs: number;
  /** `AGENCY_MAX_REQUESTS`, default 4: requests of one agency in flight at once; more wait, then get 429. */
  agencyMaxRequests: number;
  /** `AGENCY_MAX_STATEMENTS`, default 2: read statements of one agency running at once; more queue behind that agency's own. */
  agencyMaxStatements: number;
  /** `AGENCY_QUEUE_WAIT_MS`, default 2000: how long a request over its agency's limit waits for a slot before 429. */
  agencyQueueWaitMs: number;
  /** `STATISTICS_REFRESH_SECONDS`, default 300: how often table statistics (for pricing lists) are re-read. */
  statisticsRefreshSeconds: number;
}

/** Where each upstream agency system is and how to authenticate to it. */
export interface UpstreamConfig {
  /** `TRANSPORT_API_URL` and `TRANSPORT_API_TOKEN`: the transport management system. */
  transport: { url: string; token: string } | null;
  /** `REGISTRY_API_URL`: the market-regulation registry. */
  registry: { url: string } | null;
  /** `CREDIT_API_URL` and `CREDIT_API_KEY`: the Jiangsu credit platform. */
  credit: { url: string; apiKey: string } | null;
  /** `EXCHANGE_DATABASE_URL`: the public-security checkpoint exchange database. */
  exchange: { databaseUrl: string } | null;
}

/** A configuration value that cannot be used; the message names the variable. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    reason: string,
  ) {
    super(`Invalid configuration: ${variable} ${reason}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

const PROJECT_ROOT = path.resolve(__dirname, __dirname.includes(`${path.sep}dist${path.sep}`) ? '../..' : '..');

/** The crime catalogue the hub reads unless `CRIME_CATALOGUE_FILE` names another. */
export const DEFAULT_CRIME_CATALOGUE = path.resolve(PROJECT_ROOT, 'schema/rules/crime-catalogue.json');

/** A replica is of a primary the hub was given: with the embedded PostgreSQL there is none to follow. */
function readReplicaUrl(env: Env): string | null {
  const url = readUrl(env, 'DATABASE_READ_URL', ['postgres:', 'postgresql:']);
  if (url && !env.DATABASE_URL?.trim()) throw new ConfigError('DATABASE_READ_URL', 'needs DATABASE_URL (the primary it replicates)');
  return url;
}

function readUrl(env: Env, name: string, protocols: string[]): string | null {
  const raw = env[name]?.trim();
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(name, 'is not a URL');
  }
  if (!protocols.includes(url.protocol)) {
    throw new ConfigError(name, `must start with ${protocols.map((p) => `${p}//`).join(' or ')}`);
  }
  return raw;
}

function readInt(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigError(name, `must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return Number(raw);
}

function readNumber(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new ConfigError(name, `must be a number from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

function readLogLevel(env: Env): LogLevel {
  const raw = env.LOG_LEVEL?.trim().toLowerCase();
  if (!raw) return 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(raw)) {
    throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}, got "${raw}"`);
  }
  return raw as LogLevel;
}

function readLogFormat(env: Env): LogFormat {
  const raw = env.LOG_FORMAT?.trim().toLowerCase();
  if (!raw || raw === 'json') return 'json';
  if (raw !== 'pretty') throw new ConfigError('LOG_FORMAT', `must be json or pretty, got "${raw}"`);
  try {
    require.resolve('pino-pretty');
  } catch {
    throw new ConfigError('LOG_FORMAT', 'pretty needs the pino-pretty package, a development dependency: install with `npm ci` (not --omit=dev), or use json');
  }
  return raw;
}

function readIssuer(env: Env): string | null {
  const raw = readUrl(env, 'OAUTH_ISSUER', ['http:', 'https:']);
  if (!raw) return null;
  const url = new URL(raw);
  // RFC 8414 §2: an issuer has no query or fragment; the hub's endpoints are appended to it.
  if (url.search || url.hash) throw new ConfigError('OAUTH_ISSUER', 'must have no query or fragment');
  return raw.replace(/\/+$/, '');
}

function readSecret(env: Env, name: string, requiredBy: string): string {
  const value = env[name]?.trim();
  if (!value) throw new ConfigError(name, `must be set when ${requiredBy} is set`);
  return value;
}

function readUpstream(env: Env): UpstreamConfig {
  const transportUrl = readUrl(env, 'TRANSPORT_API_URL', ['http:', 'https:']);
  const registryUrl = readUrl(env, 'REGISTRY_API_URL', ['http:', 'https:']);
  const creditUrl = readUrl(env, 'CREDIT_API_URL', ['http:', 'https:']);
  const exchangeUrl = readUrl(env, 'EXCHANGE_DATABASE_URL', ['postgres:', 'postgresql:']);
  return {
    transport: transportUrl ? { url: transportUrl, token: readSecret(env, 'TRANSPORT_API_TOKEN', 'TRANSPORT_API_URL') } : null,
    registry: registryUrl ? { url: registryUrl } : null,
    credit: creditUrl ? { url: creditUrl, apiKey: readSecret(env, 'CREDIT_API_KEY', 'CREDIT_API_URL') } : null,
    exchange: exchangeUrl ? { databaseUrl: exchangeUrl } : null,
  };
}

function readQueuePrefix(env: Env): string {
  const raw = env.QUEUE_PREFIX?.trim();
  if (!raw) return 'xietong';
  if (!/^[a-z][a-z0-9_]{0,40}$/.test(raw)) throw new ConfigError('QUEUE_PREFIX', `must be lower-case letters, digits and _, got "${raw}"`);
  return raw;
}

function readSwitch(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (!raw) return fallback;
  if (raw !== 'on' && raw !== 'off') throw new ConfigError(name, `must be on or off, got "${raw}"`);
  return raw === 'on';
}

function readGraphiql(env: Env): boolean {
  const raw = env.GRAPHIQL?.trim().toLowerCase();
  if (!raw) return env.NODE_ENV?.trim() !== 'production';
  if (raw !== 'on' && raw !== 'off') throw new ConfigError('GRAPHIQL', `must be on or off, got "${raw}"`);
  return raw === 'on';
}

function readMetricsToken(env: Env): string | null {
  const raw = env.METRICS_TOKEN?.trim();
  if (!raw) return null;
  // Sent as `Authorization: Bearer <token>`: visible ASCII without spaces, and not guessable.
  if (!/^[\x21-\x7e]{16,256}$/.test(raw)) throw new ConfigError('METRICS_TOKEN', 'must be 16 to 256 visible ASCII characters without spaces');
  return raw;
}

/** The demo world sizes the hub loads (`DEMO_SIZE`, `xietong world load --size`): 1 ≈ 2,000 enterprises. */
export const DEMO_SIZE_RANGE = { min: 0.001, max: 10 } as const;

function readTracing(env: Env): TracingSettings | null {
  const endpoint = readUrl(env, 'OTEL_EXPORTER_OTLP_ENDPOINT', ['http:', 'https:']);
  if (!endpoint) return null;
  const raw = env.OTEL_EXPORTER_OTLP_PROTOCOL?.trim().toLowerCase() || 'http/protobuf';
  if (!(OTLP_PROTOCOLS as readonly string[]).includes(raw)) {
    throw new ConfigError('OTEL_EXPORTER_OTLP_PROTOCOL', `must be one of ${OTLP_PROTOCOLS.join(', ')}, got "${raw}"`);
  }
  return { tracesUrl: `${endpoint.replace(/\/+$/, '')}/v1/traces`, protocol: raw as OtlpProtocol };
}

const PEER_ID = /^[a-z][a-z0-9-]{0,31}$/;
const AGENCY_ID = /^[a-z][a-z0-9-]{0,63}$/;

function readPeers(env: Env): PeerHub[] {
  const raw = env.PEERS?.trim();
  if (!raw) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ConfigError('PEERS', 'is not JSON');
  }
  if (!Array.isArray(parsed)) throw new ConfigError('PEERS', 'must be a JSON array of peer hubs');
  const seen = new Set<string>();
  return parsed.map((entry: unknown, i) => {
    const peer = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>;
    const text = (key: string) => {
      const value = peer[key];
      if (typeof value !== 'string' || !value.trim()) throw new ConfigError('PEERS', `entry ${i} needs "${key}" (text)`);
      return value.trim();
    };
    const url = (key: string) => {
      const value = text(key);
      if (!/^https?:\/\//.test(value) || !URL.canParse(value)) throw new ConfigError('PEERS', `entry ${i}: "${key}" must be an http(s) URL`);
      return value;
    };
    const id = text('id');
    if (!PEER_ID.test(id)) throw new ConfigError('PEERS', `entry ${i}: "id" must be lower-case letters, digits and -, got "${id}"`);
    if (seen.has(id)) throw new ConfigError('PEERS', `names peer "${id}" twice`);
    seen.add(id);
    const agency = text('agency');
    if (!AGENCY_ID.test(agency)) throw new ConfigError('PEERS', `entry ${i}: "agency" must be an agency id, got "${agency}"`);
    return { id, agency, graphqlUrl: url('graphqlUrl'), tokenUrl: url('tokenUrl'), clientId: text('clientId'), keyFile: path.resolve(text('keyFile')) };
  });
}

function readHubAgency(env: Env): string {
  const raw = env.HUB_AGENCY?.trim();
  if (!raw) return 'suzhou-transport';
  if (!AGENCY_ID.test(raw)) throw new ConfigError('HUB_AGENCY', `must be an agency id (lower-case letters, digits and -), got "${raw}"`);
  return raw;
}

const NAMESPACE = /^[a-z][a-z0-9]{0,15}$/;

function readFederationNamespace(env: Env, hubAgency: string): string {
  const raw = env.FEDERATION_NAMESPACE?.trim();
  if (raw) {
    if (!NAMESPACE.test(raw))
      throw new ConfigError('FEDERATION_NAMESPACE', `must be lower-case letters and digits starting with a letter, at most 16, got "${raw}"`);
    return raw;
  }
  const derived = defaultFederationNamespace(hubAgency);
  if (!derived) throw new ConfigError('FEDERATION_NAMESPACE', `is unset and HUB_AGENCY's first word ("${hubAgency.split('-')[0]}") cannot be one: set it`);
  return derived;
}

/** The federation namespace of a hub run by `agency` when `FEDERATION_NAMESPACE` is unset: its first word (`suzhou`); null when that cannot be one. */
export function defaultFederationNamespace(agency: string): string | null {
  const word = agency.split('-')[0];
  return NAMESPACE.test(word) ? word : null;
}

function readCooperation(env: Env): CooperationSettings {
  const hubAgency = readHubAgency(env);
  return {
    hubAgency,
    peers: readPeers(env),
    federationNamespace: readFederationNamespace(env, hubAgency),
    retryMs: readInt(env, 'PEER_RETRY_MS', 5000, 100, 600_000),
  };
}

/** Reads and validates the configuration from `env` (default: the process environment). */
/** How outbox events reach subscribers (GraphQL subscriptions over WebSocket, src/live). */
export interface LiveSettings {
  /**
   * `HUB_EVENT_POLL_MS`, default 1000 (50 to 60000): how often each instance's relay looks for
   * unpublished outbox events besides being woken by their insert (a wake-up lost with a dropped
   * connection is made up for within this).
   */
  relayPollMs: number;
  /** `HUB_EVENT_RETENTION_HOURS`, default 24 (1 to 720): outbox events older than this are deleted, published or not. */
  retentionHours: number;
  /**
   * `LIVE_QUEUE_LIMIT`, default 100 (1 to 10000): events waiting for one subscriber; a subscriber
   * that falls further behind is disconnected (close code 4429) rather than held in memory.
   */
  queueLimit: number;
  /**
   * `LIVE_DELIVERIES_PER_SECOND`, default 20 (1 to 1000): deliveries to one connection per second,
   * all its subscriptions together; more wait in their queues.
   */
  deliveriesPerSecond: number;
  /** `LIVE_MAX_SUBSCRIPTIONS_PER_CONNECTION`, default 10 (1 to 100): more are refused (QUERY_LIMIT_EXCEEDED). */
  maxSubscriptionsPerConnection: number;
  /** `LIVE_MAX_CONNECTIONS_PER_TOKEN`, default 4 (1 to 100): live connections one token may hold on one instance; more are closed with 4408. */
  maxConnectionsPerToken: number;
  /** `LIVE_MAX_CONNECTIONS_PER_AGENCY`, default 50 (1 to 10000): live connections one agency may hold on one instance; more are closed with 4408. */
  maxConnectionsPerAgency: number;
  /**
   * `LIVE_AUTH_CHECK_MS`, default 1000 (50 to 60000): how often each connection's token is verified
   * again; an expired or revoked one is disconnected (close code 4401).
   */
  authCheckMs: number;
}

export function loadConfig(env: Env = process.env): HubConfig {
  return {
    databaseUrl: readUrl(env, 'DATABASE_URL', ['postgres:', 'postgresql:']),
    databaseReadUrl: readReplicaUrl(env),
    redisUrl: readUrl(env, 'REDIS_URL', ['redis:', 'rediss:']),
    port: readInt(env, 'PORT', 4000, 0, 65535),
    host: env.HOST?.trim() || '127.0.0.1',
    logLevel: readLogLevel(env),
    logFormat: readLogFormat(env),
    dataDir: path.resolve(PROJECT_ROOT, env.XIETONG_DATA_DIR?.trim() || '.data'),
    embeddedPgPort: readInt(env, 'EMBEDDED_PG_PORT', 54329, 1, 65535),
    demoSeed: readInt(env, 'DEMO_SEED', 20211, 0, 2 ** 31 - 1),
    demoSize: readNumber(env, 'DEMO_SIZE', 1, DEMO_SIZE_RANGE.min, DEMO_SIZE_RANGE.max),
    upstream: readUpstream(env),
    syncIntervalSeconds: readInt(env, 'SYNC_INTERVAL_SECONDS', 300, 5, 86_400),
    queuePrefix: readQueuePrefix(env),
    trustConfigFile: env.TRUST_CONFIG_FILE?.trim() ? path.resolve(env.TRUST_CONFIG_FILE.trim()) : null,
    agreementsFile: path.resolve(PROJECT_ROOT, env.AGREEMENTS_FILE?.trim() || 'schema/policy/agreements.json'),
    clueRulesFile: path.resolve(PROJECT_ROOT, env.CLUE_RULES_FILE?.trim() || 'schema/rules/clue-rules.json'),
    riskGradeRulesFile: path.resolve(PROJECT_ROOT, env.RISK_GRADE_RULES_FILE?.trim() || 'schema/rules/risk-grade-rules.json'),
    inspectionRulesFile: path.resolve(PROJECT_ROOT, env.INSPECTION_RULES_FILE?.trim() || 'schema/rules/inspection-items.json'),
    holidayCalendarFile: path.resolve(PROJECT_ROOT, env.HOLIDAY_CALENDAR_FILE?.trim() || 'schema/rules/public-holidays.json'),
    crimeCatalogueFile: path.resolve(PROJECT_ROOT, env.CRIME_CATALOGUE_FILE?.trim() || DEFAULT_CRIME_CATALOGUE),
    demoFaults: env.DEMO_FAULTS?.trim() || null,
    demoPeers: readSwitch(env, 'DEMO_PEERS', false),
    readLimits: {
      statementTimeoutMs: readInt(env, 'READ_STATEMENT_TIMEOUT_MS', 5000, 100, 600_000),
      agencyMaxRequests: readInt(env, 'AGENCY_MAX_REQUESTS', 4, 1, 1000),
      agencyMaxStatements: readInt(env, 'AGENCY_MAX_STATEMENTS', 2, 1, 100),
      agencyQueueWaitMs: readInt(env, 'AGENCY_QUEUE_WAIT_MS', 2000, 0, 60_000),
      statisticsRefreshSeconds: readInt(env, 'STATISTICS_REFRESH_SECONDS', 300, 5, 86_400),
    },
    oauth: {
      issuer: readIssuer(env),
      accessTokenTtlSeconds: readInt(env, 'ACCESS_TOKEN_TTL_SECONDS', 600, 30, 86_400),
      revocationPollMs: readInt(env, 'TOKEN_REVOCATION_POLL_MS', 500, 20, 500),
    },
    live: {
      relayPollMs: readInt(env, 'HUB_EVENT_POLL_MS', 1000, 50, 60_000),
      retentionHours: readInt(env, 'HUB_EVENT_RETENTION_HOURS', 24, 1, 720),
      queueLimit: readInt(env, 'LIVE_QUEUE_LIMIT', 100, 1, 10_000),
      deliveriesPerSecond: readInt(env, 'LIVE_DELIVERIES_PER_SECOND', 20, 1, 1000),
      authCheckMs: readInt(env, 'LIVE_AUTH_CHECK_MS', 1000, 50, 60_000),
      maxSubscriptionsPerConnection: readInt(env, 'LIVE_MAX_SUBSCRIPTIONS_PER_CONNECTION', 10, 1, 100),
      maxConnectionsPerToken: readInt(env, 'LIVE_MAX_CONNECTIONS_PER_TOKEN', 4, 1, 100),
      maxConnectionsPerAgency: readInt(env, 'LIVE_MAX_CONNECTIONS_PER_AGENCY', 50, 1, 10_000),
    },
    watchMaxDays: readInt(env, 'WATCH_MAX_DAYS', 90, 1, 366),
    publicLimits: {
      perAddress: { requestsPerSecond: readInt(env, 'PUBLIC_RATE_PER_SECOND', 5, 1, 10_000), burst: readInt(env, 'PUBLIC_RATE_BURST', 20, 1, 100_000) },
      total: {
        requestsPerSecond: readInt(env, 'PUBLIC_RATE_TOTAL_PER_SECOND', 50, 1, 100_000),
        burst: readInt(env, 'PUBLIC_RATE_TOTAL_BURST', 100, 1, 1_000_000),
      },
      maxConcurrent: readInt(env, 'PUBLIC_MAX_CONCURRENT', 4, 1, 1_000),
    },
    exports: {
      inlineMaxRows: readInt(env, 'EXPORT_INLINE_MAX_ROWS', 10_000, 0, 1_000_000),
      linkTtlSeconds: readInt(env, 'EXPORT_LINK_TTL_SECONDS', 900, 30, 86_400),
      retentionHours: readInt(env, 'EXPORT_RETENTION_HOURS', 24, 1, 720),
      strandedCheckSeconds: readInt(env, 'EXPORT_STRANDED_CHECK_SECONDS', 30, 1, 3_600),
    },
    shutdownGraceMs: readInt(env, 'SHUTDOWN_GRACE_MS', 10_000, 0, 600_000),
    graphiql: readGraphiql(env),
    metricsToken: readMetricsToken(env),
    tracing: readTracing(env),
    cooperation: readCooperation(env),
  };
}

/** Where the project lives (for `.data/` and committed files). */
export const projectRoot = PROJECT_ROOT;
