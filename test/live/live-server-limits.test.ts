import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildSchema } from 'graphql';
import { Pool } from 'pg';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { loadConfig, type LiveSettings } from '../../src/config';
import { PgEventBus } from '../../src/live/event-bus';
import { LiveCloseCode, setTimeoutAt, startLiveServer } from '../../src/live/live-server';
import { PgListener } from '../../src/live/pg-listener';
import type { Viewer } from '../../src/read-kit/request-context';
import { testLogger } from '../support/test-logger';

/*
 * The live server's own limits, on a bare HTTP server with the PostgreSQL bus: the message size,
 * the parser's token limit, subscriptions per connection, connections per token and agency, a
 * client that leaves while its token is verified, and tokens that outlive setTimeout's range.
 */

const SCHEMA = buildSchema('type Query { a: Int } type Subscription { ping: Int }');
const SETTINGS: LiveSettings = {
  relayPollMs: 1000,
  retentionHours: 24,
  queueLimit: 10,
  deliveriesPerSecond: 10,
  authCheckMs: 50,
  maxSubscriptionsPerConnection: 2,
  maxConnectionsPerToken: 1,
  maxConnectionsPerAgency: 2,
};
const MAX_PAYLOAD = 10_000;

describe('live server limits', () => {
  const { logger } = testLogger();
  let server: http.Server;
  let url: string;
  let listener: PgListener;
  let live: { close(): Promise<void> };
  let authenticating: ((authorization: string | undefined) => Promise<Viewer>) | null = null;
  const authCalls: string[] = [];
  const clients: Client[] = [];
  const viewerOf = (authorization: string | undefined, expiresAt?: Date): Viewer => ({
    agency: String(authorization).split(':')[0],
    subject: String(authorization),
    roles: ['r'],
    divisions: [],
    expiresAt: expiresAt ?? new Date(Date.now() + 60_000),
  });

  beforeAll(async () => {
    server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
    listener = new PgListener(loadConfig().databaseUrl!, logger);
    await listener.start();
    live = await startLiveServer({
      server,
      path: '/graphql',
      schema: SCHEMA,
      topics: [{ field: 'ping', eventKind: 'ping', accepts: () => true }],
      bus: new PgEventBus(listener),
      authenticate: async (authorization) => {
        authCalls.push(String(authorization));
        return authenticating ? authenticating(authorization) : viewerOf(authorization);
      },
      execute: async () => ({ data: { ping: 1 } }),
      replay: async () => [],
      settings: SETTINGS,
      maxTokens: 50,
      maxPayloadBytes: MAX_PAYLOAD,
      logger,
    });
  });
  afterAll(async () => {
    for (const client of clients) await client.dispose();
    await live.close();
    await listener.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  afterEach(() => {
    authenticating = null;
  });

  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  function connect(authorization: string) {
    let closed: { code: number; reason: string } | null = null;
    const client = createClient({
      url,
      webSocketImpl: WebSocket,
      connectionParams: { authorization },
      retryAttempts: 0,
      lazy: false,
      on: { closed: (event) => (closed = { code: (event as { code: number }).code, reason: (event as { reason: string }).reason }) },
    });
    clients.push(client);
    const received: number[] = [];
    const subscribe = (query: string) => {
      const errors: Array<{ message: string; extensions?: Record<string, unknown> }> = [];
      client.subscribe(
        { query },
        {
          next: () => received.push(Date.now()),
          error: (error) => {
            if (Array.isArray(error)) errors.push(...(error as typeof errors));
          },
          complete: () => undefined,
        },
      );
      return errors;
    };
    return { client, subscribe, received, closed: () => closed };
  }

  it('refuses a message larger than the HTTP body limit (ws closes with 1009)', async () => {
    const socket = new WebSocket(url, 'graphql-transport-ws');
    await new Promise((resolve) => socket.once('open', resolve));
    const code = new Promise<number>((resolve) => socket.once('close', (c) => resolve(c)));
    socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: 'x'.repeat(MAX_PAYLOAD * 2) } }));
    expect(await code).toBe(1009);
  });

  it('parses a subscription with the HTTP token limit', async () => {
    const c = connect('a:tokens');
    const errors = c.subscribe(`subscription { ping ${'__typename '.repeat(100)} }`);
    await sleep(300);
    expect(errors[0]?.extensions).toMatchObject({ code: 'QUERY_LIMIT_EXCEEDED', limit: 'maxTokens' });
    await c.client.dispose();
  });

  it('caps subscriptions per connection', async () => {
    const c = connect('b:subs');
    const results = [c.subscribe('subscription { ping }'), c.subscribe('subscription { ping }'), c.subscribe('subscription { ping }')];
    await sleep(300);
    expect(results.map((e) => e[0]?.extensions?.limit ?? null)).toEqual([null, null, 'subscriptionsPerConnection']);
    await c.client.dispose();
  });

  it('caps connections per token and per agency, closing with 4408', async () => {
    const first = connect('c:one');
    first.subscribe('subscription { ping }');
    await sleep(200);
    const sameToken = connect('c:one');
    sameToken.subscribe('subscription { ping }');
    const second = connect('c:two');
    second.subscribe('subscription { ping }');
    await sleep(200);
    const third = connect('c:three');
    third.subscribe('subscription { ping }');
    await sleep(300);
    expect(first.closed()).toBeNull();
    expect(sameToken.closed()?.code).toBe(LiveCloseCode.TOO_MANY_CONNECTIONS);
    expect(second.closed()).toBeNull();
    expect(third.closed()?.code).toBe(LiveCloseCode.TOO_MANY_CONNECTIONS);
    // Another agency is not held back by this one's connections.
    const other = connect('d:one');
    other.subscribe('subscription { ping }');
    await sleep(200);
    expect(other.closed()).toBeNull();
    for (const c of [first, second, other]) await c.client.dispose();
  });

  it('keeps nothing of a client that left while its token was verified', async () => {
    let release!: () => void;
    authenticating = async (authorization) => {
      await new Promise<void>((resolve) => (release = resolve));
      return viewerOf(authorization);
    };
    const socket = new WebSocket(url, 'graphql-transport-ws');
    await new Promise((resolve) => socket.once('open', resolve));
    socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: 'e:gone' } }));
    await sleep(100);
    socket.terminate();
    await sleep(100);
    authenticating = null;
    const calls = () => authCalls.filter((a) => a === 'e:gone').length;
    const before = calls();
    release();
    // A connection kept would be verified again every authCheckMs (50 ms).
    await sleep(400);
    expect(calls()).toBe(before);
  });

  it('does not end a connection whose token outlives setTimeout (2^31-1 ms) at once', async () => {
    authenticating = async (authorization) => viewerOf(authorization, new Date(Date.now() + 40 * 86_400_000));
    const c = connect('f:long');
    c.subscribe('subscription { ping }');
    await sleep(400);
    expect(c.closed()).toBeNull();
    await c.client.dispose();
  });

  it('paces deliveries per connection, all its subscriptions together', async () => {
    const c = connect('g:pace');
    c.subscribe('subscription { ping }');
    c.subscribe('subscription { ping }');
    await sleep(300);
    const pool = new Pool({ connectionString: loadConfig().databaseUrl!, max: 1 });
    try {
      const base = 9_000_000_000 + Math.floor(Math.random() * 1_000_000) * 10;
      for (let i = 0; i < 3; i += 1) {
        await pool.query(`select pg_notify('xietong_hub_events', $1)`, [JSON.stringify({ id: String(base + i), kind: 'ping', division: null, payload: {} })]);
      }
    } finally {
      await pool.end();
    }
    // Six deliveries at 10 per second on the connection take half a second; per subscription, a fifth.
    await sleep(350);
    expect(c.received.length).toBeLessThan(6);
    await sleep(800);
    expect(c.received.length).toBe(6);
    await c.client.dispose();
  });

  it('fires a far timer only at its time, re-armed within range', async () => {
    jest.useFakeTimers({ now: 0 });
    try {
      const fired: number[] = [];
      const timer = setTimeoutAt(2 ** 31 + 5000, () => fired.push(Date.now()));
      jest.advanceTimersByTime(2 ** 31 - 1);
      expect(fired).toEqual([]);
      jest.advanceTimersByTime(6000);
      expect(fired).toEqual([2 ** 31 + 5000]);
      timer.clear();
    } finally {
      jest.useRealTimers();
    }
  });
});
