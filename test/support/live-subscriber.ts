import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { loadConfig } from '../../src/config';
import { startNodeProcess, type NodeProcess } from './node-process';

/** What a live subscriber received, the errors it was refused with, and how its connection closed. */
export interface LiveSubscription {
  received: Array<{ data?: Record<string, unknown>; errors?: unknown[]; at: number }>;
  errors: Array<{ message: string; extensions?: Record<string, unknown> }>;
  closed: () => { code: number; reason: string } | null;
}

/**
 * A graphql-ws subscription to the hub at `graphqlUrl`, authenticated at connection_init as HTTP
 * callers are. The client is pushed on `clients` for the test to dispose. Resolves once the
 * subscription has had time to be checked (and audited) and listen.
 */
export async function subscribeLive(
  clients: Client[],
  graphqlUrl: string,
  authorization: string,
  purpose: string | undefined,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<LiveSubscription> {
  const errors: LiveSubscription['errors'] = [];
  const received: LiveSubscription['received'] = [];
  let closed: { code: number; reason: string } | null = null;
  const client = createClient({
    url: graphqlUrl.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: { authorization, extensions: purpose ? { purpose } : {} },
    retryAttempts: 0,
    on: { closed: (event) => (closed = { code: (event as { code: number }).code, reason: (event as { reason: string }).reason }) },
  });
  clients.push(client);
  client.subscribe(
    { query, variables },
    {
      next: (value) => received.push({ ...(value as object), at: Date.now() }),
      error: (error) => {
        if (Array.isArray(error)) errors.push(...(error as LiveSubscription['errors']));
      },
      complete: () => undefined,
    },
  );
  await new Promise((resolve) => setTimeout(resolve, 1500));
  return { received, errors, closed: () => closed };
}

/** A second hub process on the same database (and bus), as a load balancer's other instance; with its GraphQL URL. */
export async function startOtherHub(databaseUrl: string, env: Record<string, string>): Promise<{ process: NodeProcess; graphqlUrl: string }> {
  const process = startNodeProcess('src/main.js', [], {
    DATABASE_URL: databaseUrl,
    PORT: '0',
    LOG_LEVEL: 'error',
    NODE_ENV: 'production',
    XIETONG_DATA_DIR: loadConfig({}).dataDir,
    ...env,
  });
  const graphqlUrl = (await process.waitForOutput(/GraphQL at (http:\/\/\S+)/, 90))[1];
  return { process, graphqlUrl };
}
