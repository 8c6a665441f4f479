import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLSchema } from 'graphql';
import { resolvedVariables } from '../read-kit/operation/resolved-variables';
import { AccessDeniedError, ErrorCode, InvalidInputError } from '../errors';
import type { AccessContext } from './access-context';
import { requestError } from '../errors/hub-graphql-error';
import type { AccessPolicy } from './access-grant';
import { authorizeOperation, type DeclaredReason } from './authorize-operation';
import { reasonFromExtensions, reasonFromHeaders } from './declared-reason';

const noReason: DeclaredReason = { purpose: null, caseNumber: null, agreement: null, caseScope: null };

/**
 * Before execution, checks the resolved operation against the caller's grant (see
 * `authorizeOperation`); a refusal stops the request whole and is kept for the audit. A caller
 * without an agreement in force may still ask `myAccess`, which shows it why.
 */
export function accessPlugin(schema: GraphQLSchema, policy: AccessPolicy): ApolloServerPlugin<AccessContext> {
  return {
    async requestDidStart({ request, contextValue }) {
      const { caller, viewer, access } = contextValue;
      // A purpose or case number declared but unusable (too long, malformed) refuses the request.
      let invalidReason: InvalidInputError | null = null;
      if (caller && viewer && access) {
        try {
          caller.reason = reasonFromExtensions(request.extensions, reasonFromHeaders((name) => request.http?.headers.get(name)));
        } catch (error) {
          if (!(error instanceof InvalidInputError)) throw error;
          invalidReason = error;
        }
        try {
          if (!invalidReason) access.settle(policy.agreementFor(viewer, new Date(), caller.reason.purpose, caller.reason.agreement));
        } catch (error) {
          if (!(error instanceof AccessDeniedError)) throw error;
          caller.refusal = error;
        }
      }
      return {
        async didResolveOperation({ document, operation, contextValue, request }) {
          const { caller, access } = contextValue;
          // Refused already by the checks before this one (shape, limits), which run first: keep their reason.
          if (caller?.denied) return;
          if (!caller || !access || !operation) throw requestError(new AccessDeniedError(ErrorCode.FORBIDDEN, 'No verified caller'));
          if (invalidReason) {
            caller.denied = invalidReason;
            throw requestError(invalidReason);
          }
          const analysis = contextValue.operation.resolve(schema, document, operation);
          try {
            if (caller.refusal) {
              // Only the caller's own description is open without an agreement in force (its grant
              // was never settled, so it grants nothing).
              caller.authorized = await authorizeOperation(analysis, access, noReason, contextValue).catch(() => {
                throw caller.refusal;
              });
              return;
            }
            // Filters are judged by the values the resolvers will get: defaults of omitted variables too.
            caller.authorized = await authorizeOperation(analysis, access, caller.reason, contextValue, resolvedVariables(analysis, request.variables));
          } catch (error) {
            if (error instanceof AccessDeniedError) {
              caller.denied = error;
              throw requestError(error);
            }
            throw error;
          }
        },
      };
    },
  };
}
