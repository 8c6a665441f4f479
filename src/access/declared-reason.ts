import { InvalidInputError } from '../errors';
import { unrecordable } from '../db/recordable-text';
import type { DeclaredReason } from './authorize-operation';

/** Header names a request may state its purpose, enforcement case, agreement and case scope in (percent-encoded UTF-8). */
export const PURPOSE_HEADER = 'x-purpose';
export const CASE_HEADER = 'x-case-number';
export const AGREEMENT_HEADER = 'x-agreement';
export const CASE_SCOPE_HEADER = 'x-case-scope';

/** Longer than any purpose or case number the agreements and the enforcement systems use. */
export const MAX_REASON_LENGTH = 64;

type ReasonPart = 'purpose' | 'caseNumber' | 'agreement' | 'caseScope';

/**
 * A declared purpose or case number as the checks and the audit will use it. One that is too long
 * or cannot be recorded is refused (BAD_USER_INPUT): treating it as absent would answer a caller
 * who did declare something as though it had declared nothing.
 */
function clean(value: unknown, part: ReasonPart): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw new InvalidInputError(part, 'must be a string');
  const trimmed = value.trim();
  if (!trimmed) return null;
  if (trimmed.length > MAX_REASON_LENGTH) throw new InvalidInputError(part, `is too long (at most ${MAX_REASON_LENGTH} characters)`);
  const problem = unrecordable(trimmed);
  if (problem) throw new InvalidInputError(part, problem);
  return trimmed;
}

function decoded(text: string | undefined, part: ReasonPart): string | null {
  if (text === undefined) return null;
  let plain: string;
  try {
    // Case numbers hold Chinese characters, which HTTP header values cannot carry raw.
    plain = decodeURIComponent(text);
  } catch {
    throw new InvalidInputError(part, 'is not percent-encoded UTF-8');
  }
  return clean(plain, part);
}

/** The purpose, case number, agreement and case scope a request declares in its headers; throws `InvalidInputError` for a bad one. */
export function reasonFromHeaders(header: (name: string) => string | undefined): DeclaredReason {
  return {
    purpose: decoded(header(PURPOSE_HEADER), 'purpose'),
    caseNumber: decoded(header(CASE_HEADER), 'caseNumber'),
    agreement: decoded(header(AGREEMENT_HEADER), 'agreement'),
    caseScope: decoded(header(CASE_SCOPE_HEADER), 'caseScope'),
  };
}

/**
 * The reason declared in the GraphQL request's `extensions` (`purpose`, `caseNumber`,
 * `agreement`, `caseScope`), which wins over headers: it travels with the operation, in UTF-8,
 * through any client.
 */
export function reasonFromExtensions(extensions: Record<string, unknown> | undefined, fallback: DeclaredReason): DeclaredReason {
  return {
    purpose: clean(extensions?.purpose, 'purpose') ?? fallback.purpose,
    caseNumber: clean(extensions?.caseNumber, 'caseNumber') ?? fallback.caseNumber,
    agreement: clean(extensions?.agreement, 'agreement') ?? fallback.agreement,
    caseScope: clean(extensions?.caseScope, 'caseScope') ?? fallback.caseScope,
  };
}
