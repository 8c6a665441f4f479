import net from 'node:net';
import path from 'node:path';
import { startHub, type Hub } from '../app';
import { devIssuer, mintDevToken, TOKEN_PATH, type AgencyRegistry } from '../auth';
import type { HubConfig, PeerHub } from '../config';
import { openDatabase, type Database } from '../db/database';
import { entityModelOf, HUB_DOMAINS } from '../domains';
import type { Logger } from '../logger';

/** The Shanghai bureau's demo hub: its own database beside ours, reached as peer `shanghai`. */
const SHANGHAI = { id: 'shanghai', agency: 'shanghai-transport', database: 'xietong_demo_shanghai' } as const;
const SUZHOU_OFFICER = { agency: 'suzhou-transport', roles: ['officer'], subject: 'demo.officer', divisions: ['3205'] };
const SHANGHAI_OFFICER = { agency: 'shanghai-transport', roles: ['officer'], subject: 'demo.shanghai' };

function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** How `dataDir`'s development client of `asAgency` reaches the hub at `url`. */
function peerAt(id: string, agency: string, url: string, dataDir: string, asAgency: string): PeerHub {
  return {
    id,
    agency,
    graphqlUrl: `${url}/graphql`,
    tokenUrl: `${url}${TOKEN_PATH}`,
    clientId: devIssuer(asAgency),
    keyFile: path.join(dataDir, 'keys', 'dev', `${asAgency}.jwk.json`),
  };
}

/** The demo's peer hub, once it runs: what the Suzhou hub's configuration must say of it, and how to show a shared clue. */
export interface DemoPeers {
  /** The Suzhou hub's configuration, with the Shanghai hub as its peer. */
  hubConfig: HubConfig;
  /** Starts the Shanghai hub, shares a clue with it through the API and answers what to print. */
  show(suzhouGraphqlUrl: string, agencies: AgencyRegistry): Promise<string>;
  close(): Promise<void>;
}

/**
 * `DEMO_PEERS=on`: a second hub in this process as the Shanghai bureau's (its own database on the
 * same PostgreSQL, the same development keys), each the other's peer. The demo then shares a clue
 * about a Shanghai vehicle (or one naming no vehicle) as a Suzhou officer, and reads it back from
 * Shanghai's inbox as a Shanghai officer: all through the hubs' APIs, as the bureaus would.
 */
export async function prepareDemoPeers(config: HubConfig, db: Database, logger: Logger): Promise<DemoPeers> {
  const shanghaiPort = await freePort(config.host);
  const shanghaiUrl = `http://${config.host}:${shanghaiPort}`;
  const suzhouUrl = `http://${config.host}:${config.port}`;
  const hubConfig: HubConfig = {
    ...config,
    cooperation: { ...config.cooperation, peers: [peerAt(SHANGHAI.id, SHANGHAI.agency, shanghaiUrl, config.dataDir, config.cooperation.hubAgency)] },
  };
  const databaseUrl = new URL(db.url);
  databaseUrl.pathname = `/${SHANGHAI.database}`;
  const shanghaiConfig: HubConfig = {
    ...config,
    databaseUrl: databaseUrl.toString(),
    port: shanghaiPort,
    graphiql: false,
    queuePrefix: `${config.queuePrefix}_shanghai`,
    cooperation: {
      ...config.cooperation,
      hubAgency: SHANGHAI.agency,
      federationNamespace: 'shanghai',
      peers: [peerAt('suzhou', config.cooperation.hubAgency, suzhouUrl, config.dataDir, SHANGHAI.agency)],
    },
  };
  const log = logger.child({ component: 'demo-peers' });
  let shanghaiDb: Database | null = null;
  let shanghai: Hub | null = null;
  return {
    hubConfig,
    async show(suzhouGraphqlUrl, agencies) {
      shanghaiDb = await openDatabase(shanghaiConfig, entityModelOf(HUB_DOMAINS), log);
      shanghai = await startHub(shanghaiConfig, log, shanghaiDb);
      const post = async <T>(url: string, caller: typeof SUZHOU_OFFICER | typeof SHANGHAI_OFFICER, purpose: string, query: string, variables = {}) => {
        const token = await mintDevToken(config.dataDir, agencies, caller);
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-purpose': purpose },
          body: JSON.stringify({ query, variables }),
        });
        const body = (await response.json()) as { data?: T; errors?: Array<{ message: string }> };
        if (body.errors?.length) throw new Error(body.errors.map((e) => e.message).join('; '));
        return body.data!;
      };
      // The clues come within seconds of the start; the first one Shanghai's agreement covers is shared.
      type Page = {
        clues: {
          edges: Array<{ node: { id: string; kind: string; subjectType: string; subjectKey: string } }>;
          pageInfo: { hasNextPage: boolean; endCursor: string | null };
        };
      };
      let clue: { id: string; kind: string; subjectKey: string } | null = null;
      for (let tries = 0; tries < 30 && !clue; tries++) {
        let after: string | null = null;
        for (let page = 0; page < 50 && !clue; page++) {
          const { clues }: Page = await post<Page>(
            suzhouGraphqlUrl,
            SUZHOU_OFFICER,
            'case-investigation',
            'query DemoClues($after: String) { clues(first: 100, after: $after) { edges { node { id kind subjectType subjectKey } } pageInfo { hasNextPage endCursor } } }',
            { after },
          );
          clue = clues.edges.map((e) => e.node).find((c) => c.subjectKey.startsWith('沪') || c.subjectType !== 'VEHICLE') ?? null;
          if (!clues.pageInfo.hasNextPage) break;
          after = clues.pageInfo.endCursor;
        }
        if (!clue) await new Promise((resolve) => setTimeout(resolve, 2000));
      }
      if (!clue) return `\nYangtze Delta cooperation: Shanghai's hub runs at ${shanghaiUrl}/graphql; no clue its agreement covers was found to share.\n`;
      const { shareClue } = await post<{ shareClue: { id: string } }>(
        suzhouGraphqlUrl,
        SUZHOU_OFFICER,
        'case-investigation',
        'mutation DemoShare($id: String!) { shareClue(peer: "shanghai", clueId: $id) { id } }',
        { id: clue.id },
      );
      let received: { kind: string; peerAgency: string; content: string } | null = null;
      for (let tries = 0; tries < 60 && !received; tries++) {
        const { cooperationMessages } = await post<{
          cooperationMessages: { edges: Array<{ node: { idempotencyKey: string; kind: string; peerAgency: string; content: string } }> };
        }>(
          `${shanghaiUrl}/graphql`,
          SHANGHAI_OFFICER,
          'cross-region-enforcement',
          '{ cooperationMessages(direction: INBOUND, first: 20) { edges { node { idempotencyKey kind peerAgency content } } } }',
        );
        received = cooperationMessages.edges.map((e) => e.node).find((m) => m.idempotencyKey === shareClue.id) ?? null;
        if (!received) await new Promise((resolve) => setTimeout(resolve, 500));
      }
      const shown = received
        ? (JSON.parse(received.content) as { clue: Record<string, unknown>; evidence: unknown[]; withheld: number; shapedBy: string })
        : null;
      return [
        '',
        `Yangtze Delta cooperation (长三角): a second hub runs as the Shanghai bureau's at ${shanghaiUrl}/graphql.`,
        `  Suzhou shared clue ${clue.id} (${clue.kind}, ${clue.subjectKey}) with it: outbox message ${shareClue.id}.`,
        shown
          ? `  Shanghai's inbox holds it, shaped by agreement ${shown.shapedBy}: ${shown.evidence.length} piece(s) of evidence, ${shown.withheld} withheld.`
          : '  It has not reached Shanghai yet: see cooperationMessages(direction: OUTBOUND) for its attempts.',
        `  Try: { cooperationMessages(direction: INBOUND) { edges { node { kind peerAgency content } } } } as shanghai-transport officer at ${shanghaiUrl}/graphql`,
        '',
      ].join('\n');
    },
    async close() {
      await shanghai?.close();
      await shanghaiDb?.close();
    },
  };
}
