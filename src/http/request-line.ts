import { randomUUID } from 'node:crypto';
import type { HubContext } from '../graphql/context';
import type { Logger } from '../logger';
import type { Viewer } from '../read-kit/request-context';

/** The response header that names a request's id, as its log line does (for support). */
export const REQUEST_ID_HEADER = 'x-request-id';

/** What is said of a declared purpose no covering agreement names: the client's own text is never logged. */
const UNAGREED_PURPOSE = '(not agreed)';

/**
 * One request's log line, filled in as the request goes and written once at its end: who
 * (agency, roles), why (the purpose, when an agreement names it), what (the operation's name
 * and the server's signature, literals blanked), how it ended (status, refusal or error code,
 * the audit's outcome, records returned) and how long it took. Never a value the request sent:
 * no variables, no query string, no path the hub does not serve.
 */
export class RequestLine {
  /** Drawn by the hub (a client's own id would be text of its choosing in the log). */
  readonly requestId = randomUUID();
  private readonly started = performance.now();
  private path: string | null = null;
  private viewer: Viewer | null = null;
  private context: HubContext | null = null;
  private code: string | null = null;
  private written = false;

  constructor(
    private readonly logger: Logger,
    private readonly method: string,
    /** Paths machines poll every few seconds (probes, scrapes): their lines are debug. */
    private readonly polled: ReadonlySet<string>,
  ) {}

  /** The path, once the hub knows it serves it. */
  served(path: string): void {
    this.path = path;
  }

  /** The verified caller. */
  caller(viewer: Viewer): void {
    this.viewer = viewer;
  }

  /** The request's GraphQL context: its operation, access and audit say the rest when it ends. */
  ran(context: HubContext): void {
    this.context = context;
    this.viewer ??= context.viewer;
  }

  /** Why the edge refused it (an error code; the audit's refusal code says why for a request that reached GraphQL). */
  refused(code: string | null): void {
    this.code ??= code;
  }

  /** Writes the line (once; a later call does nothing). */
  end(status: number): void {
    if (this.written) return;
    this.written = true;
    const analysis = this.context?.operation.analysis ?? null;
    const audited = this.context?.effectAudit?.outcome ?? null;
    const fields = {
      requestId: this.requestId,
      method: this.method,
      path: this.path,
      agency: this.viewer?.agency ?? null,
      roles: this.viewer?.roles ?? null,
      purpose: this.purpose(),
      operationName: analysis?.operation.name?.value ?? null,
      signature: analysis?.signature ?? null,
      status,
      code: this.code ?? audited?.code ?? null,
      outcome: audited?.outcome ?? null,
      records: audited?.records ?? null,
      durationMs: Math.round((performance.now() - this.started) * 100) / 100,
    };
    if (status >= 500) this.logger.warn(fields, 'request');
    else if (this.path && this.polled.has(this.path)) this.logger.debug(fields, 'request');
    else this.logger.info(fields, 'request');
  }

  private purpose(): string | null {
    const access = this.context?.access;
    const declared = access?.reason.purpose ?? null;
    if (!access || declared === null) return null;
    return access.covering.some((agreement) => agreement.purposes.includes(declared)) ? declared : UNAGREED_PURPOSE;
  }
}

/** The code of the first error of a GraphQL answer (a closed set: `format-error.ts` gives every error one), or null. */
export function errorCodeOf(body: string): string | null {
  try {
    const code = (JSON.parse(body) as { errors?: Array<{ extensions?: { code?: unknown } }> }).errors?.[0]?.extensions?.code;
    return typeof code === 'string' ? code : null;
  } catch {
    return null;
  }
}
