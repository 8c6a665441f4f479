import type http from 'node:http';
import type { DeclaredReason } from './authorize-operation';

/** Header names a request may state its purpose and enforcement case in (percent-encoded UTF-8). */
export const PURPOSE_HEADER = 'x-purpose';
export const CASE_HEADER = 'x-case-number';

function clean(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  // Longer than any purpose or case number: treated as absent rather than stored in the audit.
  return trimmed && trimmed.length <= 64 ? trimmed : null;
}

function decoded(value: string | string[] | undefined): string | null {
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined) return null;
  try {
    // Case numbers hold Chinese characters, which HTTP header values cannot carry raw.
    return clean(decodeURIComponent(text));
  } catch {
    return null;
  }
}

/** The purpose and case number a request declares in its headers. */
export function reasonFromHeaders(headers: http.IncomingHttpHeaders): DeclaredReason {
  return { purpose: decoded(headers[PURPOSE_HEADER]), caseNumber: decoded(headers[CASE_HEADER]) };
}

/**
 * The reason declared in the GraphQL request's `extensions` (`purpose`, `caseNumber`), which
 * wins over headers: it travels with the operation, in UTF-8, through any client.
 */
export function reasonFromExtensions(extensions: Record<string, unknown> | undefined, fallback: DeclaredReason): DeclaredReason {
  return {
    purpose: clean(extensions?.purpose) ?? fallback.purpose,
    caseNumber: clean(extensions?.caseNumber) ?? fallback.caseNumber,
  };
}
