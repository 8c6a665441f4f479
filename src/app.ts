import 'reflect-metadata';
import type http from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import type { HubConfig } from './config';
import { openDatabase, type Database } from './db/database';
import type { HubContext } from './graphql/context';
import { createErrorFormatter } from './graphql/format-error';
import { fieldSelectionOf } from './graphql/field-selection';
import { createLoaders } from './graphql/loaders';
import { buildHubSchema } from './graphql/schema';
import { createHubServer, listen } from './http/hub-server';
import type { Logger } from './logger';

/** A running hub: where it listens, its database, and how to stop it cleanly. */
export interface Hub {
  url: string;
  graphqlUrl: string;
  db: Database;
  close(): Promise<void>;
}

/** Opens the database (migrating it), builds the schema and serves HTTP. */
export async function startHub(config: HubConfig, logger: Logger, db?: Database): Promise<Hub> {
  const database = db ?? await openDatabase(config, logger);
  const schema = await buildHubSchema();
  const apollo = new ApolloServer<HubContext>({
    schema,
    formatError: createErrorFormatter((line) => logger.error(line)),
    includeStacktraceInErrorResponses: false,
    // No "did you mean" suggestions: they enumerate the schema to whoever probes it.
    hideSchemaDetailsFromClientErrors: true,
    allowBatchedHttpRequests: false,
    csrfPrevention: true,
    // The hub owns shutdown (main.ts): Apollo's own signal handlers would race it and re-raise the signal.
    stopOnTerminationSignals: false,
    // Federated tracing would send timing data to whatever router asks; HTTP cache hints do not
    // apply to per-agency data. Both would also wrap every field resolver.
    plugins: [
      ApolloServerPluginInlineTraceDisabled(),
      ApolloServerPluginCacheControlDisabled(),
      {
        // Once the operation is known, reads can project to the fields it selects.
        async requestDidStart() {
          return {
            async didResolveOperation({ document, contextValue }) {
              contextValue.operation.selection = fieldSelectionOf(schema, document);
            },
          };
        },
      },
    ],
  });
  await apollo.start();
  const server: http.Server = createHubServer({
    apollo,
    createContext: async () => {
      const scope = { em: database.orm.em.fork(), sql: database.sql };
      const context: HubContext = { ...scope, operation: { selection: null }, loaders: null as never, viewer: null };
      context.loaders = createLoaders(context);
      return context;
    },
    isReady: () => database.isReady(),
    log: (line) => logger.error(line),
  });
  const address = await listen(server, config.port, config.host);
  const url = `http://${address.address.includes(':') ? `[${address.address}]` : address.address}:${address.port}`;
  return {
    url,
    graphqlUrl: `${url}/graphql`,
    db: database,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Keep-alive connections would hold close() open until they time out.
      server.closeAllConnections();
      await closed;
      await apollo.stop();
      if (!db) await database.close();
    },
  };
}
