import { ConfigurationError, TransientError } from './connector-errors';

/**
 * GET a JSON document from an upstream system, its failures sorted into the connector error
 * classes: unreachable, timeout, 5xx and 429 are transient (429 with its Retry-After); refused
 * credentials and unknown endpoints are configuration errors.
 */
export async function httpGetJson(system: string, url: string, headers: Record<string, string> = {}, timeoutMs = 10_000): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    throw new TransientError(`${system} unreachable: ${error instanceof Error ? error.message : String(error)}`);
  }
  const path = new URL(url).pathname;
  if (response.status === 401 || response.status === 403) throw new ConfigurationError(`${system} refused our credentials`);
  if (response.status === 404) throw new ConfigurationError(`${system} has no ${path}`);
  if (response.status === 429) throw new TransientError(`${system} asks us to slow down`, retryAfterMs(response.headers.get('retry-after')));
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
