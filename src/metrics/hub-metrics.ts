import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { SignatureLabels, startRequestMeter, type RequestMeter } from './request-meter';
import { ScrapeSampler, type ScrapeSources } from './scrape-sources';

/** Distinct operation signatures labelled as themselves; the rest are `other`. */
const MAX_SIGNATURES = 500;
/** How long a scrape waits for the database and the queues before it answers without them. */
const SOURCE_TIMEOUT_MS = 2000;

/** Request latencies span a cached lookup (ms) to a capped list or a statement timeout (5 s). */
const REQUEST_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** An append is two round trips under the chain's lock: around a millisecond unless appends queue. */
const APPEND_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];
/** The event loop is sampled every 10 ms: finer costs CPU, coarser misses the short stalls a slow JSON parse makes. */
const EVENT_LOOP_RESOLUTION_MS = 10;

export interface HubMetricsOptions {
  /** How long a scrape waits for each source (ms); default 2000. */
  sourceTimeoutMs?: number;
}

/**
 * The hub's Prometheus metrics: one registry per hub (never prom-client's global one, so two hubs
 * in a process keep theirs apart), every metric declared here once. Instrumented code gets one
 * narrow method each (`meterRequest`, `tokenVerified`, `auditAppended`), never the registry;
 * what lives in the database and the queues is read on each scrape, within a timeout.
 * Labels carry agency ids, operation signatures, codes and stream names, never a personal value.
 */
export class HubMetrics {
  private readonly registry = new Registry();
  private readonly signatures = new SignatureLabels(MAX_SIGNATURES);
  private readonly sampler: ScrapeSampler;

  private readonly requestDuration = new Histogram({
    name: 'xietong_graphql_request_duration_seconds',
    help: 'GraphQL requests at /graphql, from arrival to the answer sent: by operation signature, verified agency and outcome (OK or the error code).',
    labelNames: ['signature', 'agency', 'outcome'] as const,
    buckets: REQUEST_BUCKETS,
    registers: [this.registry],
  });

  private readonly auditAppend = new Histogram({
    name: 'xietong_audit_append_duration_seconds',
    help: 'Appending one event to the audit chain, lock wait included: by outcome (ok, failed).',
    labelNames: ['outcome'] as const,
    buckets: APPEND_BUCKETS,
    registers: [this.registry],
  });

  private readonly tokenVerifications = new Counter({
    name: 'xietong_token_verifications_total',
    help: 'Bearer tokens verified at /graphql: by result (OK or the refusal reason).',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  private readonly compilations = new Counter({
    name: 'xietong_graphql_compilations_total',
    help: 'Query operations compiled (once per query text and operation): by outcome (compiled, or declined and run on graphql-js).',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  private readonly syncLag = new Gauge({
    name: 'xietong_sync_lag_seconds',
    help: 'How far the hub trails each stream: seconds since its last complete run began (absent before the first).',
    labelNames: ['system', 'stream'] as const,
    registers: [this.registry],
  });

  private readonly syncLastSuccess = new Gauge({
    name: 'xietong_sync_last_success_timestamp_seconds',
    help: "When each stream's last batch committed (Unix time).",
    labelNames: ['system', 'stream'] as const,
    registers: [this.registry],
  });

  private readonly syncRows = new Counter({
    name: 'xietong_sync_rows_total',
    help: "Rows each stream's runs wrote to the hub: by change (inserted, updated, deleted).",
    labelNames: ['system', 'stream', 'change'] as const,
    registers: [this.registry],
  });

  private readonly syncQuarantined = new Gauge({
    name: 'xietong_sync_quarantined_records',
    help: 'Records of each stream in quarantine now (neither released nor resolved).',
    labelNames: ['system', 'stream'] as const,
    registers: [this.registry],
  });

  private readonly queueJobs = new Gauge({
    name: 'xietong_queue_jobs',
    help: 'Jobs in each sync queue: by state (waiting, active, delayed, failed).',
    labelNames: ['queue', 'state'] as const,
    registers: [this.registry],
  });

  private readonly poolConnections = new Gauge({
    name: 'xietong_db_pool_connections',
    help: "Connections of each of the hub's database pools (hub, read): by state (in_use, idle).",
    labelNames: ['pool', 'state'] as const,
    registers: [this.registry],
  });

  private readonly poolWaiting = new Gauge({
    name: 'xietong_db_pool_waiting',
    help: "Callers waiting for a connection of each of the hub's database pools.",
    labelNames: ['pool'] as const,
    registers: [this.registry],
  });

  private readonly replicaUp = new Gauge({
    name: 'xietong_db_replica_up',
    help: 'Whether the read replica (DATABASE_READ_URL) answered its last poll replaying WAL: 1 yes, 0 no (queries then read the primary). Absent without a replica.',
    labelNames: ['pool'] as const,
    registers: [this.registry],
  });

  private readonly replicaLag = new Gauge({
    name: 'xietong_db_replica_lag_seconds',
    help: "Seconds the read replica's replay trails the primary (0 when it has replayed all the primary had written); over 30 s queries read the primary.",
    labelNames: ['pool'] as const,
    registers: [this.registry],
  });

  private readonly sourceUp = new Gauge({
    name: 'xietong_metrics_source_up',
    help: 'Whether the last scrape read a source in time: 1 yes, 0 no (its series are then absent); source sync (tables) or queues.',
    labelNames: ['source'] as const,
    registers: [this.registry],
  });

  private readonly eventLoopDelay = new Gauge({
    name: 'xietong_event_loop_delay_seconds',
    help: "How late this process's event loop ran its timers since the previous scrape: by quantile (0.5, 0.99, max).",
    labelNames: ['quantile'] as const,
    registers: [this.registry],
  });

  /** Its timer is unreferenced: it never keeps a process alive. */
  private readonly loopDelay: IntervalHistogram = monitorEventLoopDelay({ resolution: EVENT_LOOP_RESOLUTION_MS });

  constructor(sources: ScrapeSources, options: HubMetricsOptions = {}) {
    this.loopDelay.enable();
    this.sampler = new ScrapeSampler(sources, options.sourceTimeoutMs ?? SOURCE_TIMEOUT_MS);
  }

  /** The Content-Type of `scrape()`'s text. */
  get contentType(): string {
    return this.registry.contentType;
  }

  /** Every metric's name, type and label names, for the documentation's check. */
  get catalogue(): Array<{ name: string; type: string; labels: string[] }> {
    // prom-client's typings omit the label names each metric keeps from its configuration.
    return this.registry
      .getMetricsAsArray()
      .map((metric) => ({ name: metric.name, type: String(metric.type), labels: [...(metric as unknown as { labelNames: string[] }).labelNames] }));
  }

  /** A meter for one `/graphql` request, timed from now. */
  meterRequest(): RequestMeter {
    return startRequestMeter((labels, seconds) => this.requestDuration.observe(labels, seconds), this.signatures);
  }

  /** A bearer token was verified: `OK` or the reason it was refused. */
  tokenVerified(result: string): void {
    this.tokenVerifications.inc({ result });
  }

  /** A query operation was compiled, or graphql-jit declined it (it then runs on graphql-js). */
  operationCompiled(outcome: 'compiled' | 'declined'): void {
    this.compilations.inc({ outcome });
  }

  /** An audit event was appended (or failed to be) in `seconds`. */
  auditAppended(seconds: number, outcome: 'ok' | 'failed'): void {
    this.auditAppend.observe({ outcome }, seconds);
  }

  /** The exposition text, with what the database, the queues and the pools hold now. */
  async scrape(): Promise<string> {
    const sample = await this.sampler.sample();
    this.sourceUp.set({ source: 'sync' }, sample.streams ? 1 : 0);
    this.sourceUp.set({ source: 'queues' }, sample.queues ? 1 : 0);
    // Reset first: a stream or queue that is gone, or a source that did not answer, leaves no stale series.
    for (const metric of [
      this.syncLag,
      this.syncLastSuccess,
      this.syncRows,
      this.syncQuarantined,
      this.queueJobs,
      this.poolConnections,
      this.poolWaiting,
      this.eventLoopDelay,
    ]) {
      metric.reset();
    }
    for (const { system, stream, lagSeconds, lastSuccessAt, rows, quarantined } of sample.streams ?? []) {
      if (lagSeconds !== null) this.syncLag.set({ system, stream }, lagSeconds);
      if (lastSuccessAt) this.syncLastSuccess.set({ system, stream }, lastSuccessAt.getTime() / 1000);
      // Totals kept in the sync tables, so the counter survives restarts and counts the workers' runs.
      for (const [change, count] of Object.entries(rows)) this.syncRows.inc({ system, stream, change }, count);
      this.syncQuarantined.set({ system, stream }, quarantined);
    }
    for (const { queue, counts } of sample.queues ?? []) {
      for (const [state, count] of Object.entries(counts)) this.queueJobs.set({ queue, state }, count);
    }
    // Per scrape window, so a stall shows in the scrape after it and not forever after.
    if (this.loopDelay.count > 0) {
      // The histogram holds whole intervals between samples: their lateness is what exceeds the resolution.
      const late = (ns: number) => Math.max(0, ns / 1e9 - EVENT_LOOP_RESOLUTION_MS / 1000);
      this.eventLoopDelay.set({ quantile: '0.5' }, late(this.loopDelay.percentile(50)));
      this.eventLoopDelay.set({ quantile: '0.99' }, late(this.loopDelay.percentile(99)));
      this.eventLoopDelay.set({ quantile: 'max' }, late(this.loopDelay.max));
    }
    this.loopDelay.reset();
    this.replicaUp.reset();
    this.replicaLag.reset();
    if (sample.replica) {
      this.replicaUp.set({ pool: 'replica' }, sample.replica.up ? 1 : 0);
      if (sample.replica.lagSeconds !== null) this.replicaLag.set({ pool: 'replica' }, sample.replica.lagSeconds);
    }
    for (const { pool, inUse, idle, waiting } of sample.pools) {
      this.poolConnections.set({ pool, state: 'in_use' }, inUse);
      this.poolConnections.set({ pool, state: 'idle' }, idle);
      this.poolWaiting.set({ pool }, waiting);
    }
    return this.registry.metrics();
  }
}
