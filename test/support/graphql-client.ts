import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print, type DocumentNode } from 'graphql';

export interface GraphQLResponse<R> {
  status: number;
  data?: R | null;
  errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, unknown> }>;
  /** The raw body, for asserting what never appears in it (stack traces, SQL). */
  raw: string;
}

/** Headers (a token, purpose, case) a hub's default test caller sends. */
export type CallerHeaders = () => Promise<Record<string, string>>;
const defaultCallers = new Map<string, CallerHeaders>();

/** Requests to `url` that name no `authorization` are sent as this caller (the provider's headers, asked per request). */
export function setDefaultCaller(url: string, caller: CallerHeaders): void {
  defaultCallers.set(url, caller);
}

/**
 * Posts an operation to the hub over real HTTP, as a partner agency's client would. Pass
 * `authorization: ''` to send no credentials at all.
 */
export async function execute<R, V>(
  url: string,
  document: TypedDocumentNode<R, V> | DocumentNode | string,
  variables?: V,
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<R>> {
  const query = typeof document === 'string' ? document : print(document);
  const caller = defaultCallers.get(url);
  const sent: Record<string, string> = 'authorization' in headers || !caller ? { ...headers } : { ...(await caller()), ...headers };
  if (sent.authorization === '') delete sent.authorization;
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...sent },
    body: JSON.stringify({ query, variables }),
  });
  const raw = await response.text();
  let parsed: { data?: R | null; errors?: GraphQLResponse<R>['errors'] } = {};
  try {
    parsed = JSON.parse(raw);
  } catch {
    // Non-JSON bodies are returned raw for the test to inspect.
  }
  return { status: response.status, data: parsed.data, errors: parsed.errors, raw };
}

/** Like `execute`, but fails the test when the response carries errors. */
export async function query<R, V>(url: string, document: TypedDocumentNode<R, V>, variables?: V, headers: Record<string, string> = {}): Promise<R> {
  const result = await execute(url, document, variables, headers);
  if (result.errors?.length || !result.data) {
    throw new Error(`GraphQL errors (HTTP ${result.status}): ${JSON.stringify(result.errors ?? result.raw)}`);
  }
  return result.data;
}
