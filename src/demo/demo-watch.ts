import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { mintDevToken, type AgencyRegistry } from '../auth';
import { policeCaseOf, regularVehicle } from './upstream/exchange-simulator';
import type { World } from './world';

/** The police case officer who sets the demo's watch, and the purpose they declare. */
const OFFICER = { agency: 'suzhou-psb', roles: ['case-officer'], subject: 'demo.case-officer', divisions: ['3205'] };
const PURPOSE = 'case-investigation';

const ADD = `mutation DemoWatch($plate: String!, $color: PlateColor!, $case: String!, $until: DateTime!) {
  addWatch(plateNumber: $plate, plateColor: $color, reason: "演示布控: 定期经过卡口的车辆", caseNumber: $case, expiresAt: $until) { id } }`;
const LIVE = `query DemoWatches { watches(first: 100) { edges { node { plateNumber plateColor } } } }`;

/**
 * Sets the demo's watch (布控) through the hub's API, as a police case officer does (granted,
 * audited): on the plate the live checkpoint traffic brings past a checkpoint every 20 s, so a
 * subscriber hears a hit within a minute. Unless that plate is watched already (a restart).
 * Answers what to print: the plate, and how to subscribe.
 */
export async function watchRegularVehicle(world: World, dataDir: string, agencies: AgencyRegistry, graphqlUrl: string): Promise<string> {
  const vehicle = regularVehicle(world);
  const caseNumber = policeCaseOf(world, vehicle)?.caseNumber;
  // A world without such a case (a small one) has no watch to show: the police watch only under a case about the vehicle.
  if (!caseNumber) return `\nLive watch (布控): no open case transferred to the police names ${vehicle.plateNumber}; no watch is set.\n`;
  const token = await mintDevToken(dataDir, agencies, OFFICER);
  const post = async <T>(query: string, variables: Record<string, unknown> = {}) => {
    const response = await fetch(graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-purpose': PURPOSE },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: T; errors?: Array<{ message: string }> };
    if (body.errors?.length) throw new Error(body.errors.map((e) => e.message).join('; '));
    return body.data!;
  };
  const listed = await post<{ watches: { edges: Array<{ node: { plateNumber: string; plateColor: string } }> } }>(LIVE);
  if (!listed.watches.edges.some(({ node }) => node.plateNumber === vehicle.plateNumber && node.plateColor === vehicle.plateColor)) {
    await post(ADD, {
      plate: vehicle.plateNumber,
      color: vehicle.plateColor,
      case: caseNumber,
      until: new Date(Date.now() + 7 * 86_400_000).toISOString(),
    });
  }
  const ws = graphqlUrl.replace(/^http/, 'ws');
  return [
    '',
    `Live watch (布控): ${vehicle.plateNumber} (${vehicle.plateColor}) is watched by suzhou-psb; the live checkpoint traffic passes it every 20 s.`,
    `  Subscribe over graphql-ws at ${ws} with connection_init {"authorization":"Bearer <token>"}, a case officer's token from:`,
    '  npm run -s token -- --agency suzhou-psb --role case-officer --division 3205',
    '  subscription { watchHits { plateNumber plateColor checkpointCode division capturedAt reason caseNumber } }',
    '  The demo subscribes with it: each hit is printed below as it arrives.',
    '',
  ].join('\n');
}

const HITS = 'subscription DemoHits { watchHits { plateNumber plateColor checkpointCode division capturedAt } }';

/**
 * Subscribes to the demo officer's watch hits over graphql-ws, as a client would, and prints each
 * as it arrives (`write`); ends when the token expires (the hub closes the connection, 4401).
 */
export async function printWatchHits(dataDir: string, agencies: AgencyRegistry, graphqlUrl: string, write: (line: string) => void): Promise<Client> {
  const token = await mintDevToken(dataDir, agencies, OFFICER);
  const client = createClient({
    url: graphqlUrl.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}`, extensions: { purpose: PURPOSE } },
    retryAttempts: 0,
    on: {
      closed: (event) =>
        write(`Live watch hits: connection closed (${(event as { code?: number }).code ?? ''} ${(event as { reason?: string }).reason ?? ''})\n`),
    },
  });
  client.subscribe(
    { query: HITS },
    {
      next: ({ data }) => {
        const hit = (data as { watchHits: Record<string, string> | null } | undefined)?.watchHits;
        if (hit)
          write(
            `Live watch hit (布控命中): ${hit.plateNumber} (${hit.plateColor}) at checkpoint ${hit.checkpointCode}, division ${hit.division}, ${hit.capturedAt}\n`,
          );
      },
      error: (error) => write(`Live watch hits: ${JSON.stringify(error)}\n`),
      complete: () => undefined,
    },
  );
  return client;
}
