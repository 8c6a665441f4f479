import { diag, DiagLogLevel } from '@opentelemetry/api';
import type { SpanExporter } from '@opentelemetry/sdk-trace';
import type { TracingSettings } from '../config';
import { scrub, type Logger } from '../logger';

/** The process's tracing, to be shut down last: that exports the spans still buffered. */
export interface Tracing {
  shutdown(): Promise<void>;
}

const OFF: Tracing = { shutdown: () => Promise.resolve() };

/**
 * Starts the OpenTelemetry Node SDK for the process `serviceName` (`xietong-hub`,
 * `xietong-worker`…), exporting by OTLP over HTTP; with no settings (`OTEL_EXPORTER_OTLP_ENDPOINT`
 * unset) it does nothing and loads nothing. The instrumentations patch `pg`, `graphql`, `ioredis`
 * and `http` when they are required, so an entry point calls this before it loads the modules that
 * use them (`src/main.ts` and `src/worker.ts` import the hub dynamically, after it).
 * The resource names the service only: no host, process or user detectors.
 */
export async function startTracing(settings: TracingSettings | null, serviceName: string, logger: Logger): Promise<Tracing> {
  if (!settings) return OFF;
  const [{ NodeSDK, core }, { BatchSpanProcessor, ParentBasedSampler }, { hubInstrumentations }, { RedactingSpanProcessor }, { EntrySampler }] =
    await Promise.all([
      import('@opentelemetry/sdk-node'),
      import('@opentelemetry/sdk-trace'),
      import('./instrumentations'),
      import('./redacting-span-processor'),
      import('./entry-sampler'),
    ]);
  // The SDK reports a collector it cannot reach here; otherwise it would drop the spans silently.
  diag.setLogger(
    {
      error: (message) => logger.warn({ component: 'tracing', diagnostic: scrub(message) }, 'tracing SDK error'),
      warn: () => undefined,
      info: () => undefined,
      debug: () => undefined,
      verbose: () => undefined,
    },
    DiagLogLevel.ERROR,
  );
  const sdk = new NodeSDK({
    serviceName,
    autoDetectResources: false,
    instrumentations: hubInstrumentations(),
    // Redaction first: the batch processor exports what the spans hold when they have ended.
    spanProcessors: [new RedactingSpanProcessor(), new BatchSpanProcessor({ exporter: await exporterFor(settings) })],
    // Every request and job is traced, and what runs beneath it; a caller's `traceparent` decides for its request.
    sampler: new ParentBasedSampler({ root: new EntrySampler() }),
    textMapPropagator: new core.W3CTraceContextPropagator(),
    // Traces only: metrics are Prometheus's (`/metrics`), logs the logger's.
    metricReaders: [],
    logRecordProcessors: [],
  });
  sdk.start();
  return { shutdown: () => sdk.shutdown() };
}

async function exporterFor({ tracesUrl, protocol }: TracingSettings): Promise<SpanExporter> {
  if (protocol === 'http/json') {
    const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
    return new OTLPTraceExporter({ url: tracesUrl });
  }
  const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-proto');
  return new OTLPTraceExporter({ url: tracesUrl });
}
