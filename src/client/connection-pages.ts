import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { ClientError, ClientErrorCode } from './client-error';
import type { HubClient, RequestDeclaration } from './hub-client';

/** What the pager reads of a Relay connection: its nodes and where the next page starts. */
export interface Connection<TNode> {
  edges: ReadonlyArray<{ node: TNode }>;
  pageInfo: { hasNextPage: boolean; endCursor?: string | null };
}

/** One page: its nodes, and the whole answer it came in (e.g. for `totalCount`). */
export interface Page<TResult, TNode> {
  nodes: TNode[];
  data: TResult;
}

/**
 * Pages through a connection, forwards: runs `document` with `variables`, then again with
 * `after` set to the page's `endCursor` while `hasNextPage`, yielding each page. `connectionOf`
 * picks the connection out of the answer. Stop early with `break`; nothing more is requested.
 */
export async function* connectionPages<TResult, TVariables extends { after?: string | null }, TNode>(
  client: HubClient,
  document: TypedDocumentNode<TResult, TVariables>,
  variables: TVariables,
  connectionOf: (data: TResult) => Connection<TNode>,
  declaration?: RequestDeclaration,
): AsyncGenerator<Page<TResult, TNode>> {
  let after = variables.after ?? null;
  for (;;) {
    const data = await client.request(document, { ...variables, after }, declaration);
    const { edges, pageInfo } = connectionOf(data);
    yield { nodes: edges.map((edge) => edge.node), data };
    if (!pageInfo.hasNextPage) return;
    // A cursor that does not move would page forever: a hub bug, reported rather than looped on.
    if (!pageInfo.endCursor || pageInfo.endCursor === after) {
      throw new ClientError(ClientErrorCode.BAD_RESPONSE, `the connection says it has a next page but gives no new endCursor (after ${after ?? 'the start'})`);
    }
    after = pageInfo.endCursor;
  }
}
