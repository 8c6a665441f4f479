import type { ApolloServerPlugin } from '@apollo/server';
import type { Viewer } from '../read-kit/request-context';

/** Who a replica-routed read is for: one key per signed-in subject of an agency. */
export const readerKey = (viewer: Pick<Viewer, 'agency' | 'subject'>): string => `${viewer.agency}/${viewer.subject}`;

/**
 * After a caller's mutation, before its answer is sent, the read gateway notes the primary's WAL
 * position: the caller's next queries read the primary until the replica has replayed it (with no
 * replica, nothing is noted).
 */
export function readYourWritesPlugin(wrote: (caller: string) => Promise<void>): ApolloServerPlugin<{ viewer: Viewer | null }> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ operation, contextValue }) {
          if (operation?.operation === 'mutation' && contextValue.viewer) await wrote(readerKey(contextValue.viewer));
        },
      };
    },
  };
}
