import { BREAK, Kind, visit, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import { unrecordable } from '../db/recordable-text';
import { BadRequestError, InvalidInputError, PayloadTooLargeError, type HubError } from '../errors';

/** Longest operation name, sent or in the document: it is stored in the audit event as given. */
export const MAX_OPERATION_NAME_LENGTH = 128;

/**
 * Longest string literal: no argument of the schema takes more (free-text filters take 200
 * characters), and the audit records arguments.
 */
export const MAX_LITERAL_LENGTH = 4096;

/** Where in the document a literal sits: its argument, input fields and list positions. */
function literalPath(ancestors: ReadonlyArray<unknown>): string {
  const parts: string[] = [];
  for (const node of ancestors) {
    if (typeof node !== 'object' || node === null || !('kind' in node)) continue;
    const n = node as { kind: Kind; name?: { value: string }; variable?: { name: { value: string } } };
    if (n.kind === Kind.ARGUMENT || n.kind === Kind.OBJECT_FIELD) parts.push(n.name!.value);
    if (n.kind === Kind.VARIABLE_DEFINITION) parts.push(`$${n.variable!.name.value}`);
  }
  return parts.join('.');
}

// A literal's problem depends on the document only: found in one pass per parsed document (Apollo
// reuses the parse of a repeated query), a fresh error made from it for each request.
const literalProblems = new WeakMap<DocumentNode, (() => HubError) | null>();

function literalProblemOf(document: DocumentNode): (() => HubError) | null {
  if (literalProblems.has(document)) return literalProblems.get(document)!;
  let problem: (() => HubError) | null = null;
  visit(document, {
    StringValue(node, _key, parent, _path, ancestors) {
      if (node.value.length > MAX_LITERAL_LENGTH) problem = () => new PayloadTooLargeError('string literal', MAX_LITERAL_LENGTH);
      else {
        const unusable = unrecordable(node.value);
        const where = literalPath([...ancestors, parent]) || 'query';
        if (unusable) problem = () => new InvalidInputError(where, unusable);
      }
      return problem ? BREAK : undefined;
    },
  });
  literalProblems.set(document, problem);
  return problem;
}

/**
 * Refusals of a request's shape once its operation is resolved, before limits, access checks or
 * resolvers (the first check of the pre-execution plugin):
 * - no operation selected (several without `operationName`, or a name the document lacks), or a
 *   subscription (the hub serves none): `BAD_REQUEST`;
 * - variables the operation does not declare: `BAD_REQUEST`, and they are dropped from the
 *   request, so nothing later (the audit included) keeps them;
 * - an operation name longer than the audit keeps: `BAD_REQUEST`;
 * - a string literal the audit could not record (NUL): `BAD_USER_INPUT` naming its argument;
 *   one longer than `MAX_LITERAL_LENGTH`: `PAYLOAD_TOO_LARGE`.
 * One pass over the document's own nodes, once per parsed document; fragments are not expanded, so it is linear.
 */
export function checkOperationShape(
  document: DocumentNode,
  operation: OperationDefinitionNode | null | undefined,
  request: { operationName?: string | null; variables?: Record<string, unknown> },
  live = false,
): void {
  if (!operation) {
    const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION).length;
    throw request.operationName
      ? new BadRequestError('The document has no operation of that name', { field: 'operationName', reason: 'unknown operation' })
      : new BadRequestError(`The document has ${operations} operations: operationName must name the one to run`, {
          field: 'operationName',
          reason: 'required',
        });
  }
  // A subscription is executed once per event by the live layer (WebSocket), never over HTTP.
  if (operation.operation === 'subscription' && !live) {
    throw new BadRequestError('Subscriptions are served over WebSocket (graphql-ws) at /graphql, not over HTTP', { field: 'query', reason: 'subscription' });
  }
  const declared = new Set((operation.variableDefinitions ?? []).map((v) => v.variable.name.value));
  const undeclared = Object.keys(request.variables ?? {}).filter((name) => !declared.has(name));
  if (undeclared.length) {
    request.variables = Object.fromEntries(Object.entries(request.variables ?? {}).filter(([name]) => declared.has(name)));
    throw new BadRequestError(`The request sends ${undeclared.length} variable(s) the operation does not declare`, {
      field: 'variables',
      reason: 'undeclared',
      count: undeclared.length,
    });
  }
  if ((operation.name?.value.length ?? 0) > MAX_OPERATION_NAME_LENGTH) {
    throw new BadRequestError(`The operation name is too long (at most ${MAX_OPERATION_NAME_LENGTH} characters)`, {
      field: 'operationName',
      reason: 'too long',
    });
  }
  const problem = literalProblemOf(document);
  if (problem) throw problem();
}
