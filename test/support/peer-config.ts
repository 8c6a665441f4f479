import path from 'node:path';
import { devIssuer, TOKEN_PATH } from '../../src/auth';
import { loadConfig } from '../../src/config';

/**
 * A `PEERS` entry as a hub's operator writes it: the peer hub `id` of `agency` at `port` on
 * loopback, reached with the development client key of `asAgency` under `dataDir`.
 */
export const peerConfig = (dataDir: string, id: string, agency: string, port: number, asAgency: string) => ({
  id,
  agency,
  graphqlUrl: `http://127.0.0.1:${port}/graphql`,
  tokenUrl: `http://127.0.0.1:${port}${TOKEN_PATH}`,
  clientId: devIssuer(asAgency),
  keyFile: path.join(dataDir, 'keys', 'dev', `${asAgency}.jwk.json`),
});

/**
 * A peer hub's configuration for a test: `hubAgency` at `port` over `databaseUrl`, its queues under
 * `queuePrefix` (on Redis when `redisUrl` is given), delivering to `peers` and retrying every 200 ms.
 */
export const peerHubConfig = (o: { databaseUrl: string; port: number; hubAgency: string; peers: unknown[]; queuePrefix: string; redisUrl?: string }) =>
  loadConfig({
    DATABASE_URL: o.databaseUrl,
    ...(o.redisUrl ? { REDIS_URL: o.redisUrl } : {}),
    QUEUE_PREFIX: o.queuePrefix,
    PORT: String(o.port),
    LOG_LEVEL: 'error',
    HUB_AGENCY: o.hubAgency,
    PEERS: JSON.stringify(o.peers),
    PEER_RETRY_MS: '200',
  });
