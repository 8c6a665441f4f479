import { print, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { ClientError, ClientErrorCode, type HubGraphQLError } from './client-error';

/**
 * What a request declares beside its operation, sent in the request's `extensions`: the purpose
 * (personal data needs one its agreement permits), the open case it is made under, how far the
 * case reaches, and the agreement to be judged under when several fit.
 */
export interface RequestDeclaration {
  purpose?: string;
  caseNumber?: string;
  caseScope?: 'ALL_PLATES';
  agreement?: string;
}

/** A GraphQL response as the hub sends it, with its HTTP status. */
export interface HubResponse<TResult> {
  status: number;
  body: { data?: TResult | null; errors?: HubGraphQLError[]; extensions?: Record<string, unknown> };
}

/** Where the client gets its bearer token; `renew` is called once when the hub refuses the current one (401). */
export interface TokenSource {
  token(): Promise<string>;
  renew?(): Promise<unknown>;
}

interface PrintedOperation {
  query: string;
  operationName: string | undefined;
}

const printed = new WeakMap<DocumentNode, PrintedOperation>();

/** The document's text and operation name, printed once per document. */
function printedOf(document: DocumentNode): PrintedOperation {
  let operation = printed.get(document);
  if (!operation) {
    const definition = document.definitions.find((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition');
    operation = { query: print(document), operationName: definition?.name?.value };
    printed.set(document, operation);
  }
  return operation;
}

/**
 * A typed client of the hub's `/graphql`: operations are the typed documents codegen makes from
 * `schema/operations` (`src/client/generated`), so variables and results are checked by the
 * compiler. The bearer token comes from `tokens` and is reused until it expires.
 */
export class HubClient {
  /**
   * @param hub the hub's base URL, e.g. `http://127.0.0.1:4000` (`/graphql` is appended)
   * @param declaration sent with every request unless a request names its own
   */
  constructor(
    readonly hub: string,
    private readonly tokens: TokenSource,
    private readonly declaration: RequestDeclaration = {},
  ) {}

  get graphqlUrl(): string {
    return `${this.hub.replace(/\/+$/, '')}/graphql`;
  }

  /** The operation's data; a `ClientError` when the hub answers with errors or cannot be reached. */
  async request<TResult, TVariables>(
    document: TypedDocumentNode<TResult, TVariables>,
    variables: TVariables,
    declaration?: RequestDeclaration,
  ): Promise<TResult> {
    const { status, body } = await this.execute(document, variables, declaration);
    if (body.errors?.length || body.data == null) {
      const { operationName } = printedOf(document);
      const first = body.errors?.[0];
      const code = first?.extensions?.code ? ` ${first.extensions.code}` : '';
      throw new ClientError(
        ClientErrorCode.OPERATION_FAILED,
        `the hub answered ${operationName ?? 'the operation'} with HTTP ${status}${code}: ${first?.message ?? 'no data'}`,
        { status, errors: body.errors ?? [] },
      );
    }
    return body.data;
  }

  /** The whole response, errors included (e.g. to show a refusal as the hub wrote it). */
  async execute<TResult, TVariables>(
    document: TypedDocumentNode<TResult, TVariables>,
    variables: TVariables,
    declaration: RequestDeclaration = this.declaration,
  ): Promise<HubResponse<TResult>> {
    const { query, operationName } = printedOf(document);
    const extensions = Object.fromEntries(Object.entries(declaration).filter(([, value]) => value !== undefined));
    const body = JSON.stringify({ query, operationName, variables, ...(Object.keys(extensions).length ? { extensions } : {}) });
    let response = await this.post(body, await this.tokens.token());
    if (response.status === 401 && this.tokens.renew) {
      // The token expired early or was revoked: one new token, one more try.
      await this.tokens.renew();
      response = await this.post(body, await this.tokens.token());
    }
    return response as HubResponse<TResult>;
  }

  private async post(body: string, token: string): Promise<HubResponse<unknown>> {
    let response: Response;
    try {
      response = await fetch(this.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', authorization: `Bearer ${token}` },
        body,
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new ClientError(ClientErrorCode.UNREACHABLE, `cannot reach ${this.graphqlUrl}: ${cause?.code ?? cause?.message ?? (error as Error).message}`);
    }
    const text = await response.text();
    try {
      return { status: response.status, body: JSON.parse(text) as HubResponse<unknown>['body'] };
    } catch {
      throw new ClientError(
        ClientErrorCode.BAD_RESPONSE,
        `${this.graphqlUrl} answered HTTP ${response.status} without a GraphQL response: ${text.slice(0, 200)}`,
        {
          status: response.status,
        },
      );
    }
  }
}
