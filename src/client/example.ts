import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { HUB_AUDIENCE } from '../auth/agencies';
import { mintDevClientAssertion } from '../auth/dev-keys';
import { loadConfig } from '../config';
import { AccessTokens, privateKeyJwt, type ClientAssertion } from './access-token';
import { ClientError } from './client-error';
import { connectionPages } from './connection-pages';
import { ExampleOverloadsDocument, ExampleWhoAmIDocument, type ExampleOverloadsQuery } from './generated/graphql';
import { HubClient } from './hub-client';

/**
 * `npm run example`: the typed client end to end, as an agency's system uses it — an access token
 * from the hub's token endpoint, a typed query, then every page of a connection.
 *
 * It lives in `src/client` beside the client rather than in an `examples/` folder: the project's
 * top-level layout is fixed, and here it is compiled, linted and tested (test/client) with the
 * client it shows.
 */

export type OverloadedWeighing = ExampleOverloadsQuery['weighings']['edges'][number]['node'];

export interface ExampleOptions {
  /** The hub's base URL, e.g. `http://127.0.0.1:4000`. */
  hub: string;
  /** How the client proves itself at the token endpoint. */
  assertion: ClientAssertion;
  /** Rows per page (the hub serves at most 500). */
  pageSize: number;
  /** Where the example writes what it found. */
  write(line: string): void;
}

export interface ExampleResult {
  agency: string;
  judgedUnder: string | null;
  totalCount: number;
  pages: number;
  weighings: OverloadedWeighing[];
}

/** As the transport bureau's analyst, for statistics: who am I, then the overloaded weighings, page by page. */
export async function runExample(options: ExampleOptions): Promise<ExampleResult> {
  // One token for every request below: it is reused until shortly before it expires.
  const tokens = new AccessTokens(options.hub, options.assertion, 'role:analyst');
  const client = new HubClient(options.hub, tokens, { purpose: 'statistics' });

  const { myAccess } = await client.request(ExampleWhoAmIDocument, {});
  options.write(`signed in as ${myAccess.agency} (${myAccess.roles.join(', ')}), judged under ${myAccess.judgedUnder ?? 'no agreement'}`);

  let totalCount = 0;
  let pages = 0;
  const weighings: OverloadedWeighing[] = [];
  for await (const page of connectionPages(client, ExampleOverloadsDocument, { first: options.pageSize }, (data) => data.weighings)) {
    totalCount = page.data.weighings.totalCount;
    pages += 1;
    weighings.push(...page.nodes);
  }

  const byStation = new Map<string, number>();
  for (const w of weighings) byStation.set(w.stationName, (byStation.get(w.stationName) ?? 0) + 1);
  const busiest = [...byStation].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 3);
  options.write(`${weighings.length} of ${totalCount} overloaded weighings read in ${pages} page${pages === 1 ? '' : 's'} of at most ${options.pageSize}`);
  if (weighings.length) options.write(`worst overload: ${(weighings[0].overloadRatio * 100).toFixed(1)}% over the limit at ${weighings[0].stationName}`);
  for (const [station, count] of busiest) options.write(`  ${count} at ${station}`);
  return { agency: myAccess.agency, judgedUnder: myAccess.judgedUnder, totalCount, pages, weighings };
}

/** The command line: `--hub`, and either a development agency's key (the demo) or a real client's. */
function assertionFrom(values: { agency?: string; 'client-id'?: string; key?: string }): ClientAssertion {
  if (values.key || values['client-id']) {
    if (!values.key || !values['client-id']) throw new Error('--client-id and --key go together');
    return privateKeyJwt(values['client-id'], JSON.parse(fs.readFileSync(values.key, 'utf8')));
  }
  // The demo's development client of the agency, with the key the hub made in its data directory.
  const dataDir = loadConfig().dataDir;
  return () => mintDevClientAssertion(dataDir, values.agency ?? 'suzhou-transport', HUB_AUDIENCE);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      hub: { type: 'string', default: 'http://127.0.0.1:4000' },
      agency: { type: 'string' },
      'client-id': { type: 'string' },
      key: { type: 'string' },
      'page-size': { type: 'string', default: '100' },
    },
  });
  const pageSize = Number(values['page-size']);
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 500) throw new Error('--page-size must be a whole number from 1 to 500');
  await runExample({ hub: values.hub, assertion: assertionFrom(values), pageSize, write: (line) => process.stdout.write(`${line}\n`) });
}

if (require.main === module) {
  main().catch((error: unknown) => {
    // The hub refused or could not be reached (1), or the command line was wrong (2).
    process.stderr.write(`example: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(error instanceof ClientError ? 1 : 2);
  });
}
