import path from 'node:path';
import { devIssuer, TOKEN_PATH } from '../../src/auth';

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
