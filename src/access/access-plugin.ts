import type { ApolloServerPlugin } from '@apollo/server';
import { AccessDeniedError, ErrorCode } from '../errors';
import { requestError } from '../errors/hub-graphql-error';
import type { AccessContext } from './access-context';

/**
 * Access control's part of a request in Apollo: when it starts, the reason it declares (and so
 * its agreement); once the operation is resolved and analysed, the check of that analysis before
 * anything runs (`RequestAccess`). A refusal stops the request whole and is kept for the audit.
 * A caller without an agreement in force may still ask `myAccess`, which shows it why.
 */
export function accessPlugin(): ApolloServerPlugin<AccessContext> {
  return {
    async requestDidStart({ request, contextValue }) {
      contextValue.access?.declare({ extensions: request.extensions, header: (name) => request.http?.headers.get(name) });
      return {
        async didResolveOperation({ contextValue }) {
          const { access, operation } = contextValue;
          if (!access) throw requestError(new AccessDeniedError(ErrorCode.FORBIDDEN, 'No verified caller'));
          // Refused already by the checks before this one (shape, limits), which run first: keep their reason.
          if (access.denied) return;
          const analysis = operation.analysis;
          if (!analysis) throw requestError(access.deny(new AccessDeniedError(ErrorCode.FORBIDDEN, 'No analysed operation')));
          try {
            // Filters are judged by the values the resolvers will get: defaults of omitted variables too.
            await access.authorize(analysis, operation.variables ?? {}, contextValue);
          } catch (error) {
            // A refusal (kept for the audit) goes to the caller as such; anything else is a fault.
            const { denied } = access;
            if (denied && error === denied) throw requestError(denied);
            throw error;
          }
        },
      };
    },
  };
}
