import { SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';
import { redactSqlLiterals } from './redact-sql';

/** Statement text, old and current semantic conventions. */
const STATEMENT_KEYS = ['db.statement', 'db.query.text'];
/** URLs and their parts that carry a query string (GraphQL over GET sends its variables there). */
const URL_KEYS = ['http.url', 'http.target', 'url.full'];
const QUERY_KEY = 'url.query';
const EXCEPTION_TYPE = 'exception.type';

/**
 * Takes out of each span, as it ends, what may hold a personal value, whichever instrumentation
 * put it there: literals in SQL text, the values of URL query parameters (names are kept), and
 * error messages and stack traces (errors are recorded by their type only: a message can quote
 * the input or the row it failed on). It runs before the export, in the process.
 * Relies on `onEnding` (the span is still writable), experimental in the SDK: the SDK is pinned.
 */
export class RedactingSpanProcessor implements SpanProcessor {
  onStart(): void {}

  onEnding(span: Span): void {
    for (const key of STATEMENT_KEYS) {
      const value = span.attributes[key];
      if (typeof value === 'string') span.setAttribute(key, redactSqlLiterals(value));
    }
    for (const key of URL_KEYS) {
      const value = span.attributes[key];
      const query = typeof value === 'string' ? value.indexOf('?') : -1;
      if (query >= 0) span.setAttribute(key, `${(value as string).slice(0, query)}?${parameterNames((value as string).slice(query + 1))}`);
    }
    const query = span.attributes[QUERY_KEY];
    if (typeof query === 'string') span.setAttribute(QUERY_KEY, parameterNames(query));
    // Setting ERROR again drops the message (the span API has no other way to change it).
    if (span.status.code === SpanStatusCode.ERROR && span.status.message !== undefined) span.setStatus({ code: SpanStatusCode.ERROR });
    for (const event of span.events) {
      if (event.name === 'exception')
        event.attributes = event.attributes?.[EXCEPTION_TYPE] === undefined ? {} : { [EXCEPTION_TYPE]: event.attributes[EXCEPTION_TYPE] };
    }
  }

  onEnd(_span: ReadableSpan): void {}

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/** `a=1&b=x#f` → `a=?&b=?`: which parameters were sent, not what they said. */
function parameterNames(query: string): string {
  return query
    .split('#')[0]
    .split('&')
    .filter((part) => part !== '')
    .map((part) => `${part.split('=')[0]}=?`)
    .join('&');
}
