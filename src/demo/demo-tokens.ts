import { mintDevToken, type AgencyRegistry, type DevTokenRequest } from '../auth';

/** Callers the demo prints tokens for: the roles a first visitor wants to compare. */
export const DEMO_CALLERS: ReadonlyArray<{ id: string; label: string; request: DevTokenRequest; purpose: string }> = [
  {
    id: 'transport-officer',
    label: 'transport officer, Suzhou city-wide',
    request: { agency: 'suzhou-transport', roles: ['officer'], divisions: ['3205'] },
    purpose: 'random-inspection',
  },
  {
    id: 'transport-analyst',
    label: 'transport analyst, Suzhou city-wide (personal data masked)',
    // City-wide: the inspection plans, tasks and inspectors an analyst reads are those of its divisions.
    request: { agency: 'suzhou-transport', roles: ['analyst'], divisions: ['3205'] },
    purpose: 'statistics',
  },
  {
    id: 'shanghai-officer',
    label: 'Shanghai peer bureau (沪 vehicles only)',
    request: { agency: 'shanghai-transport', roles: ['officer'] },
    purpose: 'cross-region-enforcement',
  },
  {
    id: 'administrator',
    label: 'hub administrator (sync control)',
    request: { agency: 'suzhou-transport', roles: ['administrator'] },
    purpose: 'hub-operations',
  },
  { id: 'auditor', label: 'auditor (audit trail)', request: { agency: 'suzhou-transport', roles: ['auditor'] }, purpose: 'audit' },
];

const flags = (r: DevTokenRequest) =>
  [`--agency ${r.agency}`, ...r.roles.map((role) => `--role ${role}`), ...(r.divisions ?? []).map((d) => `--division ${d}`)].join(' ');

/**
 * Ready-to-paste development tokens for the demo, with how to use them: agency-signed (the
 * development trust accepts them directly), each reusable on every request for an hour. The
 * printed command gets the hub's own token from its token endpoint instead, as clients do.
 */
export async function demoTokens(dataDir: string, agencies: AgencyRegistry, graphqlUrl: string): Promise<string> {
  const lines = ['', "Development tokens (each reusable on every request for 1 hour; the command shown gets the hub's own from /oauth/token):"];
  for (const { label, request, purpose } of DEMO_CALLERS) {
    lines.push('', `  ${label}  —  npm run -s token -- ${flags(request)}   (purpose: ${purpose})`);
    lines.push(`  ${await mintDevToken(dataDir, agencies, request)}`);
  }
  lines.push(
    '',
    'Try:',
    `  curl -s ${graphqlUrl} -H 'content-type: application/json' \\`,
    `    -H "authorization: Bearer $(npm run -s token -- ${flags(DEMO_CALLERS[1].request)})" \\`,
    `    -d '{"query":"{ myAccess { agency roles purposes } practitioners(first: 2) { edges { node { name idNumber phone } } } }","extensions":{"purpose":"statistics"}}'`,
    '',
    'Export every enterprise as CSV (UTF-8 with BOM, opens in Excel; "format":"XLSX" for a workbook), masked as the query would be:',
    `  curl -s ${graphqlUrl.replace(/\/graphql$/, '/exports')} -H 'content-type: application/json' -o enterprises.csv \\`,
    `    -H "authorization: Bearer $(npm run -s token -- ${flags(DEMO_CALLERS[1].request)})" \\`,
    `    -d '{"query":"query($after: String) { enterprises(first: 500, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { uscc name legalRepresentative divisionCode } } } }","extensions":{"purpose":"statistics"}}'`,
    '',
  );
  return `${lines.join('\n')}\n`;
}
