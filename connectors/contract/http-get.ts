import { ConfigurationError, TransientError } from './connector-errors';

/** Pauses before the in-request retries of a 5xx or a refused connection: brief, because the job retries too. */
const RETRY_PAUSES_MS = [100, 400];

/**
 * GET a JSON document from an upstream system, its failures sorted into the connector error
 * classes: unreachable, timeout, 5xx and 429 are transient (429 with its Retry-After); refused
 * credentials and unknown endpoints are configuration errors. A 5xx or a refused connection is
 * tried again twice first: a read that must start over after a fault (page numbers shift, a
 * snapshot must be whole) then gets through a flaky source instead of failing every attempt.
 */
export async function httpGetJson(system: string, url: string, headers: Record<string, string> = {}, timeoutMs = 10_000): Promise<unknown> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await getOnce(system, url, headers, timeoutMs);
    } catch (error) {
      const retriable = error instanceof TransientError && error.kind === 'UNAVAILABLE';
      if (!retriable || attempt >= RETRY_PAUSES_MS.length) throw error;
      await new Promise((resolve) => setTimeout(resolve, RETRY_PAUSES_MS[attempt]));
    }
  }
}

async function getOnce(system: string, url: string, headers: Record<string, string>, timeoutMs: number): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    // A timeout is not tried again here: the source is slow, and waiting twice as long will not help.
    const slow = (error as { name?: unknown } | null)?.name === 'TimeoutError';
    throw new TransientError(`${system} unreachable: ${error instanceof Error ? error.message : String(error)}`, null, slow ? 'SLOW' : 'UNAVAILABLE');
  }
  const path = new URL(url).pathname;
  if (response.status === 401 || response.status === 403) throw new ConfigurationError(`${system} refused our credentials`);
  if (response.status === 404) throw new ConfigurationError(`${system} has no ${path}`);
  if (response.status === 429) throw new TransientError(`${system} asks us to slow down`, retryAfterMs(response.headers.get('retry-after')), 'RATE_LIMITED');
  if (!response.ok) throw new TransientError(`${system} answered ${response.status} for ${path}`);
  try {
    return await response.json();
  } catch {
    throw new TransientError(`${system} sent a body that is not JSON for ${path}`);
  }
}

/**
 * A `Retry-After` value in milliseconds: delay-seconds or an HTTP date (RFC 9110), or null when
 * absent or unreadable (the job then backs off as for any transient failure).
 */
export function retryAfterMs(value: string | null, now = Date.now()): number | null {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) {
    const seconds = Number(value.trim());
    return seconds > 0 ? seconds * 1000 : null;
  }
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(1000, at - now);
}
