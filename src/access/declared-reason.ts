import type http from 'node:http';
import type { DeclaredReason } from './authorize-operation';

/** Header names a request may state its purpose, enforcement case, agreement and case scope in (percent-encoded UTF-8). */
export const PURPOSE_HEADER = 'x-purpose';
export const CASE_HEADER = 'x-case-number';
export const AGREEMENT_HEADER = 'x-agreement';
export const CASE_SCOPE_HEADER = 'x-case-scope';

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

/** The purpose, case number, agreement and case scope a request declares in its headers. */
export function reasonFromHeaders(headers: http.IncomingHttpHeaders): DeclaredReason {
  return {
    purpose: decoded(headers[PURPOSE_HEADER]),
    caseNumber: decoded(headers[CASE_HEADER]),
    agreement: decoded(headers[AGREEMENT_HEADER]),
    caseScope: decoded(headers[CASE_SCOPE_HEADER]),
  };
}

/**
 * The reason declared in the GraphQL request's `extensions` (`purpose`, `caseNumber`,
 * `agreement`, `caseScope`), which wins over headers: it travels with the operation, in UTF-8,
 * through any client.
 */
export function reasonFromExtensions(extensions: Record<string, unknown> | undefined, fallback: DeclaredReason): DeclaredReason {
  return {
    purpose: clean(extensions?.purpose) ?? fallback.purpose,
    caseNumber: clean(extensions?.caseNumber) ?? fallback.caseNumber,
    agreement: clean(extensions?.agreement) ?? fallback.agreement,
    caseScope: clean(extensions?.caseScope) ?? fallback.caseScope,
  };
}
