import net from 'node:net';
import path from 'node:path';
import { startHub, type Hub } from '../app';
import { devIssuer, mintDevToken, TOKEN_PATH, type AgencyRegistry } from '../auth';
import { defaultFederationNamespace, type HubConfig, type PeerHub } from '../config';
import { openDatabase, type Database } from '../db/database';
import { entityModelOf, HUB_DOMAINS } from '../domains';
import type { Logger } from '../logger';

/** The agency that runs the demo's peer hub (the Shanghai bureau's). */
const PEER_AGENCY = 'shanghai-transport';
/**
 * The peer hub's name, as its namespace, its peer id at our hub and in its database's name
 * (`shanghai`): the one a hub of its agency takes by default.
 */
const PEER = defaultFederationNamespace(PEER_AGENCY)!;
const PEER_DATABASE = `xietong_demo_${PEER}`;
const PEER_OFFICER = { agency: PEER_AGENCY, roles: ['officer'], subject: `demo.${PEER}` };

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
  const suzhouOfficer = { agency: config.cooperation.hubAgency, roles: ['officer'], subject: 'demo.officer', divisions: ['3205'] };
  const shanghaiPort = await freePort(config.host);
  const shanghaiUrl = `http://${config.host}:${shanghaiPort}`;
  const suzhouUrl = `http://${config.host}:${config.port}`;
  const hubConfig: HubConfig = {
    ...config,
    cooperation: { ...config.cooperation, peers: [peerAt(PEER, PEER_AGENCY, shanghaiUrl, config.dataDir, config.cooperation.hubAgency)] },
  };
  const databaseUrl = new URL(db.url);
  databaseUrl.pathname = `/${PEER_DATABASE}`;
  const shanghaiConfig: HubConfig = {
    ...config,
    databaseUrl: databaseUrl.toString(),
    port: shanghaiPort,
    graphiql: false,
    queuePrefix: `${config.queuePrefix}_${PEER}`,
    cooperation: {
      ...config.cooperation,
      hubAgency: PEER_AGENCY,
      federationNamespace: PEER,
      peers: [peerAt(config.cooperation.federationNamespace, config.cooperation.hubAgency, suzhouUrl, config.dataDir, PEER_AGENCY)],
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
      const post = async <T>(url: string, caller: typeof suzhouOfficer | typeof PEER_OFFICER, purpose: string, query: string, variables = {}) => {
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
            suzhouOfficer,
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
        suzhouOfficer,
        'case-investigation',
        'mutation DemoShare($peer: String!, $id: String!) { shareClue(peer: $peer, clueId: $id) { id } }',
        { peer: PEER, id: clue.id },
      );
      let received: { kind: string; peerAgency: string; content: string } | null = null;
      for (let tries = 0; tries < 60 && !received; tries++) {
        const { cooperationMessages } = await post<{
          cooperationMessages: { edges: Array<{ node: { idempotencyKey: string; kind: string; peerAgency: string; content: string } }> };
        }>(
          `${shanghaiUrl}/graphql`,
          PEER_OFFICER,
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
        `  Try: { cooperationMessages(direction: INBOUND) { edges { node { kind peerAgency content } } } } as ${PEER_AGENCY} officer at ${shanghaiUrl}/graphql`,
        '',
      ].join('\n');
    },
    async close() {
      await shanghai?.close();
      await shanghaiDb?.close();
    },
  };
}
