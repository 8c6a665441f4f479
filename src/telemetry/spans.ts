import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Span } from '@opentelemetry/api';

/** Spans of the hub's own making (sync schedules, triggers, runs, batch commits). */
const tracer = trace.getTracer('xietong');

/**
 * A trace's context as W3C Trace Context headers (`traceparent`, `tracestate`): what a queued job
 * carries so that its run continues the trace that queued it. It names spans, never data.
 */
export type TraceCarrier = Record<string, string>;

/** The active trace's context to send along, or undefined when nothing is traced. */
export function traceCarrier(): TraceCarrier | undefined {
  const carrier: TraceCarrier = {};
  propagation.inject(context.active(), carrier);
  return Object.keys(carrier).length ? carrier : undefined;
}

export interface TracedOptions {
  kind?: SpanKind;
  /** Continue this trace (a job's) instead of the active one; a new trace when it names none. */
  continues?: TraceCarrier;
  /**
   * Start a new trace linked to the span this names, instead of a child of it: for work that one
   * long-lived span causes again and again (a schedule's runs), which would otherwise pile every
   * occurrence for months into the one trace.
   */
  linkedTo?: TraceCarrier;
}

/**
 * Runs `fn` in a new span, a child of the active span or of the one `continues` names. A failure
 * marks the span as failed with the error's class (`error.type`), never its message. Without
 * tracing the span records nothing.
 */
export function traced<T>(name: string, attributes: Attributes, fn: (span: Span) => Promise<T>, options: TracedOptions = {}): Promise<T> {
  const parent = options.continues ? propagation.extract(ROOT_CONTEXT, options.continues) : options.linkedTo ? ROOT_CONTEXT : context.active();
  const linked = options.linkedTo ? trace.getSpanContext(propagation.extract(ROOT_CONTEXT, options.linkedTo)) : undefined;
  const links = linked ? [{ context: linked }] : [];
  return tracer.startActiveSpan(name, { kind: options.kind ?? SpanKind.INTERNAL, attributes, links }, parent, async (span) => {
    try {
      return await fn(span);
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR });
      span.setAttribute('error.type', error instanceof Error ? error.constructor.name : typeof error);
      throw error;
    } finally {
      span.end();
    }
  });
}
