export { startTracing, type Tracing } from './tracing';
export { traceCarrier, traced, type TraceCarrier } from './spans';
export { SpanKind } from '@opentelemetry/api';
