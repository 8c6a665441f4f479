/** The label value when the request has no verified caller, or no resolved operation. */
export const NO_LABEL = 'none';

/**
 * One `/graphql` request's measurement. The HTTP edge starts it when the request arrives and ends
 * it when the answer has left (or the client went away); in between, the edge names the verified
 * caller or its own refusal, and the GraphQL layer the operation and its answer.
 */
export interface RequestMeter {
  /** The verified caller's agency. */
  callerIs(agency: string): void;
  /** The edge refused the request, with this error code: before GraphQL, or after it in place of its answer (the audit's refusal). */
  refused(code: string): void;
  /** GraphQL answered: the operation's signature (null when none was resolved) and how the answer ended. */
  answered(signature: string | null, outcome: string): void;
  /** The response is complete (`finished`) or the client left first: observed once, whatever calls follow. */
  end(status: number, finished: boolean): void;
}

/** What a GraphQL answer's `errors` and the status say about how the request ended. */
export interface AnswerShape {
  errors?: ReadonlyArray<{ extensions?: Record<string, unknown> }> | null;
}

/**
 * Error codes become label values only in the shape the hub's own codes have: the formatter
 * emits a closed set (`ErrorCode` and graphql-js's request codes), and anything else is masked.
 */
const CODE = /^[A-Z][A-Z_]{0,63}$/;

/** `OK`, or the code of the answer's first error (its own codes are a closed set). */
export function outcomeOfAnswer(answer: AnswerShape | null): string {
  if (!answer?.errors?.length) return 'OK';
  const code = answer.errors[0].extensions?.code;
  return typeof code === 'string' && CODE.test(code) ? code : 'INTERNAL_SERVER_ERROR';
}

/** The outcome of a request neither the edge nor GraphQL named (e.g. refused by Apollo's CSRF check): its status class. */
export function outcomeOfStatus(status: number): string {
  if (status < 400) return 'OK';
  return status < 500 ? 'BAD_REQUEST' : 'INTERNAL_SERVER_ERROR';
}

/** A client that left before its answer was complete. */
export const ABORTED = 'ABORTED';

/** Where a finished request's measurement goes (the hub's request histogram). */
export type RequestObservation = (labels: { signature: string; agency: string; outcome: string }, seconds: number) => void;

/**
 * Operation signatures become labels up to `limit` distinct ones; later ones are counted as
 * `other`, so that a client inventing new shapes cannot grow the series without bound.
 */
export class SignatureLabels {
  private readonly seen = new Set<string>();

  constructor(private readonly limit: number) {}

  labelOf(signature: string | null): string {
    if (signature === null) return NO_LABEL;
    if (this.seen.has(signature)) return signature;
    if (this.seen.size >= this.limit) return 'other';
    this.seen.add(signature);
    return signature;
  }
}

/** A meter that reports to `observe` when it ends, timed from its creation. */
export function startRequestMeter(observe: RequestObservation, signatures: SignatureLabels): RequestMeter {
  const started = performance.now();
  let agency = NO_LABEL;
  let signature: string | null = null;
  let outcome: string | null = null;
  let ended = false;
  return {
    callerIs(id) {
      agency = id;
    },
    refused(code) {
      outcome = code;
    },
    answered(resolved, answerOutcome) {
      signature = resolved;
      outcome = answerOutcome;
    },
    end(status, finished) {
      if (ended) return;
      ended = true;
      const seconds = (performance.now() - started) / 1000;
      observe({ signature: signatures.labelOf(signature), agency, outcome: finished ? (outcome ?? outcomeOfStatus(status)) : ABORTED }, seconds);
    },
  };
}
