import { unrecordable } from '../db/recordable-text';
import { BadRequestError, PayloadTooLargeError, type HubError } from '../errors';
import { MAX_OPERATION_NAME_LENGTH } from '../graphql/operation-shape';

/**
 * Deepest nesting of a request's variables or extensions: the schema's inputs are a few levels
 * deep, and the audit's canonical JSON walks values recursively.
 */
export const MAX_VALUE_DEPTH = 32;
/**
 * Largest JSON of a request's variables (UTF-8 bytes): what the audit event keeps of them must fit
 * its size cap (`MAX_AUDIT_EVENT_BYTES`), so larger variables are refused before anything runs.
 */
export const MAX_VARIABLES_BYTES = 12 * 1024;

/**
 * The first thing in `value` the audit could not record, with where it is: a string or key with
 * NUL or a lone surrogate, or nesting deeper than `MAX_VALUE_DEPTH`. Stops descending at the
 * limit, so a value nested 20,000 deep costs no more than one nested 33 deep.
 */
function problemIn(value: unknown, path: string, depth: number): { path: string; reason: string } | null {
  if (typeof value === 'string') {
    const reason = unrecordable(value);
    return reason ? { path, reason } : null;
  }
  if (typeof value !== 'object' || value === null) return null;
  if (depth >= MAX_VALUE_DEPTH) return { path, reason: `is nested deeper than ${MAX_VALUE_DEPTH} levels` };
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = problemIn(value[i], `${path}[${i}]`, depth + 1);
      if (found) return found;
    }
    return null;
  }
  for (const [key, child] of Object.entries(value)) {
    const keyReason = unrecordable(key);
    // The key itself is not repeated in the answer: it is what could not be shown.
    if (keyReason) return { path, reason: `has a key that ${keyReason}` };
    const found = problemIn(child, `${path}.${key}`, depth + 1);
    if (found) return found;
  }
  return null;
}

/** The parts of a GraphQL-over-HTTP request the hub reads, from a POST body or GET parameters. */
export interface RequestParts {
  query?: unknown;
  operationName?: unknown;
  variables?: unknown;
  extensions?: unknown;
}

/** The parts of a GET request (`variables` and `extensions` as JSON); unparseable ones are left to Apollo. */
export function partsOfSearch(search: string): RequestParts {
  const params = new URLSearchParams(search);
  const json = (name: string) => {
    const text = params.get(name);
    if (text === null) return undefined;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  };
  return {
    query: params.get('query') ?? undefined,
    operationName: params.get('operationName') ?? undefined,
    variables: json('variables'),
    extensions: json('extensions'),
  };
}

/**
 * Refuses, before anything parses or runs it, a request whose strings or values the audit could
 * not record as sent (NUL, lone surrogates, excessive nesting) or whose audit event would be too
 * large (variables, operation name). Null when the request may go on.
 */
export function requestShapeProblem(parts: RequestParts): HubError | null {
  for (const name of ['query', 'operationName', 'variables', 'extensions'] as const) {
    const found = problemIn(parts[name], name, 0);
    if (found) return new BadRequestError(`The request's ${found.path} ${found.reason}`, { field: found.path, reason: found.reason });
  }
  if (typeof parts.operationName === 'string' && parts.operationName.length > MAX_OPERATION_NAME_LENGTH) {
    return new BadRequestError(`The operation name is too long (at most ${MAX_OPERATION_NAME_LENGTH} characters)`, {
      field: 'operationName',
      reason: 'too long',
    });
  }
  if (parts.variables !== undefined && parts.variables !== null && Buffer.byteLength(JSON.stringify(parts.variables)) > MAX_VARIABLES_BYTES) {
    return new PayloadTooLargeError('variables', MAX_VARIABLES_BYTES);
  }
  return null;
}
