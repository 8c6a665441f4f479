import type http from 'node:http';
import { getOperationAST, GraphQLError, Kind, parse, type DocumentNode, type FormattedExecutionResult, type GraphQLSchema } from 'graphql';
import { getArgumentValues } from 'graphql/execution/values';
import type { Context as WsContext } from 'graphql-ws';
import { WebSocketServer } from 'ws';
import type { LiveSettings } from '../config';
import type { Logger } from '../logger';
import type { LiveEvent, LiveTopic } from '../read-kit/live-event';
import type { Viewer } from '../read-kit/request-context';
import type { EventBus } from './event-bus';
import { RecentIds } from './recent-ids';
import { Subscriber, type LiveRequest } from './subscriber';
import { serveGraphqlWs, type SocketExtra } from './ws-transport';

/** Close codes of the hub's live connections (4400–4499 are graphql-ws's and the application's). */
export const LiveCloseCode = {
  /** No token, or one that failed verification, expired or was revoked since. */
  UNAUTHORIZED: 4401,
  /** The subscriber fell more than `LIVE_QUEUE_LIMIT` events behind. */
  TOO_SLOW: 4429,
} as const;

/** Executes an operation as the caller through the hub's request pipeline: analysed, authorized under one agreement, masked, audited. */
export type LiveExecute = (viewer: Viewer, request: LiveRequest, event: LiveEvent | null) => Promise<FormattedExecutionResult>;

export interface LiveServerOptions {
  server: http.Server;
  path: string;
  schema: GraphQLSchema;
  topics: readonly LiveTopic[];
  bus: EventBus;
  /** Verifies a bearer token (`Bearer <JWT>`), as for HTTP requests; throws when it is refused. */
  authenticate(authorization: string | undefined): Promise<Viewer>;
  execute: LiveExecute;
  settings: LiveSettings;
  logger: Logger;
}

/** One WebSocket connection: its caller, its token (verified again every `authCheckMs`) and its subscriptions. */
interface Connection {
  viewer: Viewer;
  authorization: string;
  subscribers: Map<string, Subscriber>;
  check: NodeJS.Timeout;
  expiry: NodeJS.Timeout | null;
  close(code: number, reason: string): void;
}

type Ctx = WsContext<Record<string, unknown> | undefined, SocketExtra & { connection?: Connection }>;

const reasonOf = (error: unknown) => (error as { reason?: string }).reason ?? 'INVALID_TOKEN';

/**
 * GraphQL subscriptions over WebSocket (graphql-ws) on the hub's own HTTP server and path. The
 * connection authenticates at `connection_init` with the bearer token HTTP requests send
 * (`{"authorization": "Bearer …"}`); the token is verified again every `authCheckMs`, and an
 * expired or revoked one ends the connection (4401). Each subscription is checked once when it
 * starts (the operation run through the hub's pipeline with no event: its arguments, the access
 * check and an audit event) and each event that concerns it is then executed the same way, as
 * its own audited operation under the subscriber's agreement, before it is sent.
 */
export async function startLiveServer(options: LiveServerOptions): Promise<{ close(): Promise<void> }> {
  const { settings, logger } = options;
  const topics = new Map(options.topics.map((t) => [t.field, t]));
  const connections = new Set<Connection>();
  const seen = new RecentIds(10_000);
  await options.bus.subscribe((event) => {
    if (!seen.add(event.id)) return;
    for (const connection of connections) {
      for (const subscriber of connection.subscribers.values()) subscriber.offer(event);
    }
  });

  const wss = new WebSocketServer({ server: options.server, path: options.path });
  const subscriptionType = options.schema.getSubscriptionType();
  serveGraphqlWs<{ connection?: Connection }>(
    {
      schema: options.schema,
      onConnect: async (ctx: Ctx) => {
        const params = ctx.connectionParams ?? {};
        const authorization = String(params.authorization ?? params.Authorization ?? '');
        let viewer: Viewer;
        try {
          viewer = await options.authenticate(authorization || undefined);
        } catch (error) {
          ctx.extra.socket.close(LiveCloseCode.UNAUTHORIZED, `Unauthorized: ${reasonOf(error)}`);
          return false;
        }
        const connection: Connection = {
          viewer,
          authorization,
          subscribers: new Map(),
          // Revocations are noticed by verifying again; the expiry at its very instant (verification allows some clock skew).
          check: setInterval(() => {
            options.authenticate(authorization).catch((error: unknown) => connection.close(LiveCloseCode.UNAUTHORIZED, `Unauthorized: ${reasonOf(error)}`));
          }, settings.authCheckMs),
          expiry: viewer.expiresAt
            ? setTimeout(() => connection.close(LiveCloseCode.UNAUTHORIZED, 'Unauthorized: EXPIRED'), Math.max(0, viewer.expiresAt.getTime() - Date.now()))
            : null,
          close(code, reason) {
            ctx.extra.socket.close(code, reason);
          },
        };
        connection.check.unref();
        connection.expiry?.unref();
        ctx.extra.connection = connection;
        connections.add(connection);
        return true;
      },
      onSubscribe: async (ctx: Ctx, id, payload) => {
        const connection = ctx.extra.connection;
        if (!connection) return [new GraphQLError('Not authenticated', { extensions: { code: 'UNAUTHENTICATED' } })];
        let document: DocumentNode;
        try {
          document = parse(payload.query);
        } catch (error) {
          return [new GraphQLError((error as Error).message, { extensions: { code: 'GRAPHQL_PARSE_FAILED' } })];
        }
        const operation = getOperationAST(document, payload.operationName);
        if (!operation || operation.operation !== 'subscription') {
          return [
            new GraphQLError('Over WebSocket the hub serves subscriptions only: send queries and mutations over HTTP', { extensions: { code: 'BAD_REQUEST' } }),
          ];
        }
        const roots = operation.selectionSet.selections;
        const root = roots.length === 1 && roots[0].kind === Kind.FIELD ? roots[0] : null;
        const topic = root && topics.get(root.name.value);
        const field = topic && subscriptionType?.getFields()[topic.field];
        if (!root || !topic || !field) {
          return [new GraphQLError(`A subscription selects exactly one of: ${[...topics.keys()].join(', ')}`, { extensions: { code: 'BAD_REQUEST' } })];
        }
        const request: LiveRequest = {
          query: payload.query,
          operationName: payload.operationName ?? undefined,
          variables: payload.variables ?? undefined,
          extensions: { ...(ctx.connectionParams?.extensions as Record<string, unknown> | undefined), ...payload.extensions },
        };
        // The subscription as the hub's pipeline judges it before any event: its shape, arguments and access; audited.
        const checked = await options.execute(connection.viewer, request, null);
        if (checked.errors?.length) return checked.errors.map((e) => new GraphQLError(e.message, { extensions: e.extensions }));
        let args: Record<string, unknown>;
        try {
          args = getArgumentValues(field, root, payload.variables ?? {});
        } catch (error) {
          return [new GraphQLError((error as Error).message, { extensions: { code: 'BAD_USER_INPUT' } })];
        }
        const subscriber = new Subscriber({
          topic,
          args,
          request,
          viewer: connection.viewer,
          execute: options.execute,
          queueLimit: settings.queueLimit,
          deliveriesPerSecond: settings.deliveriesPerSecond,
          onOverflow: () => connection.close(LiveCloseCode.TOO_SLOW, `Subscriber too slow: more than ${settings.queueLimit} events waiting; resubscribe`),
          logger,
        });
        connection.subscribers.set(id, subscriber);
        return { schema: options.schema, document, operationName: payload.operationName, variableValues: payload.variables, contextValue: { subscriber } };
      },
      subscribe: (args) => (args.contextValue as { subscriber: Subscriber }).subscriber.stream(),
      onComplete: (ctx: Ctx, id) => {
        ctx.extra.connection?.subscribers.get(id)?.end();
        ctx.extra.connection?.subscribers.delete(id);
      },
      onClose: (ctx: Ctx) => {
        const connection = ctx.extra.connection;
        if (!connection) return;
        clearInterval(connection.check);
        if (connection.expiry) clearTimeout(connection.expiry);
        for (const subscriber of connection.subscribers.values()) subscriber.end();
        connections.delete(connection);
      },
    },
    wss,
    logger,
  );
  return {
    async close() {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
