import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLSchema } from 'graphql';
import type { TableStatistics } from '../db/table-statistics';
import type { HubError } from '../errors';
import { requestError } from '../errors/hub-graphql-error';
import type { RequestOperation } from '../read-kit/operation/request-operation';
import { TRANSLATED_HEADER } from './namespace/namespaced-subgraph';
import { enforceQueryLimits } from './enforce-limits';
import { checkEntityRepresentations } from './entity-representations';
import { checkOperationShape } from './operation-shape';
import type { QueryLimits } from './query-limits';

/** What the pre-execution checks read and fill on a request's context. */
interface CheckedContext {
  operation: RequestOperation;
  /** Where a refusal is kept for the audit; null where access control is off. */
  access: { deny(error: HubError): HubError } | null;
  /** Whether the request came over WebSocket (the live layer's subscriptions), where subscriptions are served. */
  overWebSocket: boolean;
}

/**
 * The first check of every resolved operation, before access control's (its plugin comes after
 * this one) and before anything reads: malformed requests and bombs are refused (`checkOperationShape`),
 * then the operation is analysed, once for every later step (limits, access, projections, cost
 * and the audit read that one analysis; `namespace`, the hub's federation namespace, see
 * `analyseOperation`), held to the endpoint's limits, and its federation
 * representations checked (`checkEntityRepresentations`).
 */
export function operationPlugin(
  schema: GraphQLSchema,
  limits: QueryLimits,
  statistics: () => TableStatistics,
  namespace: string | null = null,
): ApolloServerPlugin<CheckedContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, contextValue, request }) {
          try {
            checkOperationShape(document, operation, request, contextValue.overWebSocket);
            const translated = request.http?.headers.get(TRANSLATED_HEADER) === '1';
            const analysis = contextValue.operation.resolve(schema, document, operation!, request.variables, translated ? namespace : null);
            enforceQueryLimits(analysis, request.variables, limits, statistics());
            checkEntityRepresentations(analysis, contextValue.operation.variables ?? {});
          } catch (error) {
            throw requestError(contextValue.access?.deny(error as HubError) ?? (error as HubError));
          }
        },
      };
    },
  };
}
