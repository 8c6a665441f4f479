import type http from 'node:http';
import { getOperationAST, GraphQLError, Kind, parse, type DocumentNode, type FormattedExecutionResult, type GraphQLSchema } from 'graphql';
import { getArgumentValues } from 'graphql/execution/values';
import type { Context as WsContext } from 'graphql-ws';
import { WebSocketServer } from 'ws';
import type { LiveSettings } from '../config';
import { tokenLimitRefusal } from '../errors';
import type { Logger } from '../logger';
import type { LiveEvent, LiveTopic } from '../read-kit/live-event';
import type { Viewer } from '../read-kit/request-context';
import type { EventBus } from './event-bus';
import { RecentIds } from './recent-ids';
import { Subscriber, type DeliveryPace, type LiveRequest } from './subscriber';
import { serveGraphqlWs, type SocketExtra } from './ws-transport';

/** Close codes of the hub's live connections (4400–4499 are graphql-ws's and the application's). */
export const LiveCloseCode = {
  /** No token, or one that failed verification, expired or was revoked since. */
  UNAUTHORIZED: 4401,
  /** The subscriber fell more than `LIVE_QUEUE_LIMIT` events behind. */
  TOO_SLOW: 4429,
  /** The token or its agency already holds `LIVE_MAX_CONNECTIONS_PER_TOKEN` / `_PER_AGENCY` connections. */
  TOO_MANY_CONNECTIONS: 4408,
} as const;

/** How far before a bus connection's loss its replay reaches back. */
const REPLAY_SLACK_MS = 10_000;

/** The longest delay `setTimeout` honours (2^31-1 ms, ~24.8 days); a longer one fires at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Calls `fn` at `at` (ms since the epoch), however far away, re-arming within setTimeout's range. */
export function setTimeoutAt(at: number, fn: () => void): { clear(): void } {
  let timer: NodeJS.Timeout;
  const arm = () => {
    const delay = at - Date.now();
    timer = setTimeout(delay > MAX_TIMER_MS ? arm : fn, Math.min(Math.max(0, delay), MAX_TIMER_MS));
    timer.unref();
  };
  arm();
  return { clear: () => clearTimeout(timer) };
}

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
  /**
   * Published outbox events after `afterId` or published since `since`, in id order: what the bus
   * lost while its connection was down (events are kept `HUB_EVENT_RETENTION_HOURS`).
   */
  replay(afterId: string | null, since: Date): Promise<LiveEvent[]>;
  settings: LiveSettings;
  /** Parser token limit, as for HTTP requests (`QueryLimits.maxTokens`). */
  maxTokens: number;
  /** Largest WebSocket message, as the HTTP body limit. */
  maxPayloadBytes: number;
  logger: Logger;
}

/** One WebSocket connection: its caller, its token (verified again every `authCheckMs`) and its subscriptions. */
interface Connection {
  viewer: Viewer;
  authorization: string;
  subscribers: Map<string, Subscriber>;
  /** Subscriptions being checked, counted against the cap before they are added. */
  starting: number;
  /** The connection's delivery rate, shared by its subscriptions. */
  pace: DeliveryPace;
  check: NodeJS.Timeout;
  expiry: { clear(): void } | null;
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
  const countOf = (key: (c: Connection) => string, value: string) => [...connections].filter((c) => key(c) === value).length;
  const seen = new RecentIds(10_000);
  let lastId: bigint | null = null;
  const hear = (event: LiveEvent) => {
    if (!seen.add(event.id)) return;
    if (lastId === null || BigInt(event.id) > lastId) lastId = BigInt(event.id);
    for (const connection of connections) {
      for (const subscriber of connection.subscribers.values()) subscriber.offer(event);
    }
  };
  await options.bus.subscribe(hear);
  // Relays commit out of id order, so both bounds: after the last id heard, and anything published
  // since shortly before the loss (clocks of hub and database may differ a little). `seen` drops repeats.
  options.bus.onResumed((lostAt) => {
    options
      .replay(lastId === null ? null : String(lastId), new Date(lostAt.getTime() - REPLAY_SLACK_MS))
      .then((events) => {
        logger.info({ events: events.length }, 'live events replayed after the bus reconnected');
        for (const event of events) hear(event);
      })
      .catch((error: unknown) => logger.warn({ err: error }, 'live events could not be replayed after the bus reconnected'));
  });

  // ws would otherwise take messages of up to 100 MiB: a subscription is no larger than a request.
  const wss = new WebSocketServer({ server: options.server, path: options.path, maxPayload: options.maxPayloadBytes });
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
        // The client may have left while its token was verified: nothing is to be kept for it then.
        if (ctx.extra.socket.readyState !== ctx.extra.socket.OPEN) return false;
        // Counted by the token string (not its jti): one bearer token is one client's.
        const perToken = countOf((c) => c.authorization, authorization);
        const perAgency = countOf((c) => c.viewer.agency, viewer.agency);
        if (perToken >= settings.maxConnectionsPerToken || perAgency >= settings.maxConnectionsPerAgency) {
          const limit =
            perToken >= settings.maxConnectionsPerToken ? `${settings.maxConnectionsPerToken} per token` : `${settings.maxConnectionsPerAgency} per agency`;
          ctx.extra.socket.close(LiveCloseCode.TOO_MANY_CONNECTIONS, `Too many live connections: at most ${limit}`);
          return false;
        }
        const connection: Connection = {
          viewer,
          authorization,
          subscribers: new Map(),
          starting: 0,
          pace: { next: 0 },
          // Revocations are noticed by verifying again; the expiry at its very instant (verification allows some clock skew).
          check: setInterval(() => {
            options.authenticate(authorization).catch((error: unknown) => connection.close(LiveCloseCode.UNAUTHORIZED, `Unauthorized: ${reasonOf(error)}`));
          }, settings.authCheckMs),
          expiry: viewer.expiresAt
            ? setTimeoutAt(viewer.expiresAt.getTime(), () => connection.close(LiveCloseCode.UNAUTHORIZED, 'Unauthorized: EXPIRED'))
            : null,
          close(code, reason) {
            ctx.extra.socket.close(code, reason);
          },
        };
        connection.check.unref();
        ctx.extra.connection = connection;
        connections.add(connection);
        return true;
      },
      onSubscribe: async (ctx: Ctx, id, payload) => {
        const connection = ctx.extra.connection;
        if (!connection) return [new GraphQLError('Not authenticated', { extensions: { code: 'UNAUTHENTICATED' } })];
        let document: DocumentNode;
        try {
          document = parse(payload.query, { maxTokens: options.maxTokens });
        } catch (error) {
          const message = (error as Error).message;
          // Named as the HTTP path names it.
          const overTokens = tokenLimitRefusal(message);
          if (overTokens) return [new GraphQLError(overTokens.message, { extensions: overTokens.extensions })];
          return [new GraphQLError(message, { extensions: { code: 'GRAPHQL_PARSE_FAILED' } })];
        }
        if (connection.subscribers.size + connection.starting >= settings.maxSubscriptionsPerConnection) {
          return [
            new GraphQLError(`At most ${settings.maxSubscriptionsPerConnection} subscriptions per connection`, {
              extensions: { code: 'QUERY_LIMIT_EXCEEDED', limit: 'subscriptionsPerConnection' },
            }),
          ];
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
        connection.starting += 1;
        const checked = await options.execute(connection.viewer, request, null).finally(() => (connection.starting -= 1));
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
          pace: connection.pace,
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
        connection.expiry?.clear();
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
