import { formatScope, mintDevClientAssertion } from '../auth';
import type { DevSignIn } from '../http/graphiql/graphiql-routes';
import { DEMO_CALLERS } from './demo-tokens';

/**
 * GraphiQL's role picker in the demo: each demo caller signs in as its agency's system would, with
 * a client assertion from the development key exchanged at the token endpoint for what it asks.
 */
export function demoSignIn(dataDir: string): DevSignIn {
  return {
    callers: DEMO_CALLERS.map(({ id, label, purpose }) => ({ id, label, purpose })),
    async assertion(callerId) {
      const caller = DEMO_CALLERS.find((c) => c.id === callerId)!;
      const { agency, roles, divisions = [] } = caller.request;
      return {
        clientAssertion: mintDevClientAssertion(dataDir, agency),
        scope: formatScope({ roles, divisions }),
      };
    },
  };
}
