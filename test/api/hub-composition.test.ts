import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { composeServices } from '@apollo/composition';
import { ApolloGateway, IntrospectAndCompose, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { parse } from 'graphql';
import { mintDevClientAssertion, requestAccessToken, TOKEN_PATH } from '../../src/auth';
import { loadConfig } from '../../src/config';
import { NAMESPACED_GRAPHQL_PATH } from '../../src/graphql/namespace/namespaced-subgraph';
import { ownerPool } from '../support/owner-pool';
import { startTestHub, type TestHub } from '../support/test-hub';

/**
 * Shanghai's Apollo Gateway composing two real Xietong hubs, Suzhou's and its own, each over its
 * own database, keys and agreements, through their subgraphs under their federation namespaces
 * (`sz`, `sh`): the same schema twice, which Federation cannot compose as it is. A joined query
 * reads a vehicle (an enterprise) from one hub and its facts held in the other through the shared
 * key, each hub answering under its own agreement with Shanghai and auditing what it answered.
 */

const SHANGHAI = 'shanghai-transport';
const PURPOSE = 'cross-region-enforcement';

/**
 * Shanghai's own agreements: its officers at its own hub see every vehicle, and enterprises'
 * representatives in full (those limited to persisted operations are left out: their files are Suzhou's).
 */
function shanghaiAgreements(dir: string): string {
  const defaults = JSON.parse(fs.readFileSync(loadConfig({}).agreementsFile, 'utf8'));
  type Agreement = { id: string; fields: Record<string, Record<string, string>>; rowScopes?: unknown; allowedOperations?: unknown };
  const agreements = defaults.agreements
    .filter((a: Agreement) => !a.allowedOperations)
    .map((a: Agreement) => {
      if (a.id !== 'CSJ-SH-2026-01') return a;
      const { rowScopes: _dropped, ...rest } = a;
      return {
        ...rest,
        id: 'SHJT-2026-01',
        title: 'Shanghai transport bureau: its own officers at its own hub',
        fields: { ...a.fields, Enterprise: { '*': 'full', legalRepresentative: 'full' } },
      };
    });
  const file = path.join(dir, 'agreements.json');
  fs.writeFileSync(file, JSON.stringify({ ...defaults, agreements }));
  return file;
}

const dirs: string[] = [];
let suzhou: TestHub;
let shanghai: TestHub;
let gateway: ApolloServer;
let gatewayUrl: string;
/** Plates Shanghai's registry does not hold (deleted from its database): its facts about them are null. */
let unknownToShanghai: string;
/** Shanghai's access token at each hub, by the URL of the hub's namespaced subgraph. */
let tokens: Map<string, string>;

const namespacedUrl = (t: TestHub) => `${t.hub.url}${NAMESPACED_GRAPHQL_PATH}`;

/** A token from `t`'s token endpoint for Shanghai's development client there (each hub trusts the keys under its own data directory). */
async function shanghaiToken(t: TestHub, dataDir: string): Promise<string> {
  return (await requestAccessToken(`${t.hub.url}${TOKEN_PATH}`, mintDevClientAssertion(dataDir, SHANGHAI), 'role:officer')).access_token;
}

async function ask(query: string): Promise<{ data?: any; errors?: Array<{ message: string; path?: unknown[]; extensions?: Record<string, any> }> }> {
  const response = await fetch(gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  return (await response.json()) as never;
}

const auditOf = async (t: TestHub) =>
  (
    await t.hub.db.pool.query<{ agency: string; agreement: string | null; outcome: string; returned: Record<string, number> }>(
      `select content->>'agency' as agency, content->>'agreement' as agreement, content->>'outcome' as outcome, content->'fieldsReturned' as returned
         from audit_event where content->>'operationName' is distinct from '/oauth/token' order by seq`,
    )
  ).rows;

beforeAll(async () => {
  const suzhouDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xt-fed-suzhou-'));
  const shanghaiDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xt-fed-shanghai-'));
  dirs.push(suzhouDir, shanghaiDir);
  suzhou = await startTestHub('fed_suzhou', { env: { XIETONG_DATA_DIR: suzhouDir, HUB_AGENCY: 'suzhou-transport', FEDERATION_NAMESPACE: 'sz' } });
  shanghai = await startTestHub('fed_shanghai', {
    env: { XIETONG_DATA_DIR: shanghaiDir, HUB_AGENCY: SHANGHAI, FEDERATION_NAMESPACE: 'sh', AGREEMENTS_FILE: shanghaiAgreements(shanghaiDir) },
  });
  // Shanghai's registry holds its own facts: its certificate numbers, and not one of the vehicles Suzhou knows.
  const owner = ownerPool(shanghai.hub.db.url);
  await owner.query(`update vehicle set transport_certificate_number = 'SH-' || plate_number`);
  unknownToShanghai = (
    await owner.query<{ plate: string }>(
      `delete from vehicle where plate_number = (select min(plate_number) from vehicle where plate_number like '沪%') returning plate_number as plate`,
    )
  ).rows[0].plate;
  await owner.end();
  tokens = new Map([
    [namespacedUrl(suzhou), await shanghaiToken(suzhou, suzhouDir)],
    [namespacedUrl(shanghai), await shanghaiToken(shanghai, shanghaiDir)],
  ]);
  gateway = new ApolloServer({
    gateway: new ApolloGateway({
      supergraphSdl: new IntrospectAndCompose({
        subgraphs: [
          { name: 'suzhou', url: namespacedUrl(suzhou) },
          { name: 'shanghai', url: namespacedUrl(shanghai) },
        ],
      }),
      buildService: ({ url }) =>
        new RemoteGraphQLDataSource({
          url,
          willSendRequest({ request }) {
            request.http!.headers.set('authorization', `Bearer ${tokens.get(url!)}`);
            request.http!.headers.set('x-purpose', PURPOSE);
          },
        }),
    }),
  });
  gatewayUrl = (await startStandaloneServer(gateway, { listen: { port: 0, host: '127.0.0.1' } })).url;
}, 180_000);

afterAll(async () => {
  await gateway?.stop().catch(() => undefined);
  await suzhou?.close();
  await shanghai?.close();
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
}, 60_000);

describe("a peer's gateway composing two Xietong hubs", () => {
  it('cannot compose their plain subgraphs (the same schema twice), and composes them under their namespaces', async () => {
    const sdlOf = async (url: string, t: TestHub) => {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens.get(namespacedUrl(t))}`, 'x-purpose': PURPOSE },
        body: JSON.stringify({ query: '{ _service { sdl } }' }),
      });
      return ((await response.json()) as { data: { _service: { sdl: string } } }).data._service.sdl;
    };
    const plain = composeServices([
      { name: 'suzhou', url: suzhou.hub.graphqlUrl, typeDefs: parse(await sdlOf(suzhou.hub.graphqlUrl, suzhou)) },
      { name: 'shanghai', url: shanghai.hub.graphqlUrl, typeDefs: parse(await sdlOf(shanghai.hub.graphqlUrl, shanghai)) },
    ]);
    expect(plain.errors?.[0].message).toMatch(/Non-shareable field "Query\.\w+" is resolved from multiple subgraphs/);
    const namespaced = await sdlOf(namespacedUrl(suzhou), suzhou);
    expect(namespaced).toMatch(/type Vehicle @key\(fields: "plateNumber plateColor"\) \{/);
    expect(namespaced).toContain('sz_vehicles(');
    expect(namespaced).toContain('sz_vin: String\n');
    // The gateway came up: it composed both namespaced subgraphs.
    expect((await ask('{ __typename }')).data).toEqual({ __typename: 'Query' });
  });

  it("asks every renamed field under the hub's namespace without spending the caller's aliases, which still count when the caller's own", async () => {
    const v = suzhou.world.vehicles.find((x) => x.plateNumber.startsWith('沪'))!;
    const vehicleFields = `plateNumber sz_vin sz_vehicleType sz_ownerUscc sz_transportCertificateNumber sz_transportCertificateStatus
      sz_transportCertificateValidTo sz_axleCount sz_ratedTotalMassKg sz_registrationDivision sz_transportCertificateDivision`;
    const enterpriseFields = 'uscc sz_name sz_type sz_status sz_registeredCapitalYuan sz_establishedOn sz_address sz_divisionCode sz_businessScope';
    // 42 fields renamed (so aliased in the operation the hub runs), over the limit of 30 aliases.
    const wide = `{
      sz_vehicle(plateNumber: "${v.plateNumber}", plateColor: ${v.plateColor}) { ${vehicleFields} }
      sz_enterprise(uscc: "${suzhou.world.enterprises[0].uscc}") { ${enterpriseFields} }
      sz_vehicles(first: 1) { edges { node { ${vehicleFields} sz_owner { ${enterpriseFields} } } } }
    }`;
    const post = async (query: string, variables: Record<string, unknown> = {}) => {
      const response = await fetch(namespacedUrl(suzhou), {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens.get(namespacedUrl(suzhou))}`, 'x-purpose': PURPOSE },
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, ...((await response.json()) as { data?: any; errors?: Array<{ extensions?: Record<string, unknown> }> }) };
    };
    const answer = await post(wide);
    expect(answer.errors).toBeUndefined();
    expect(answer.data.sz_vehicle).toMatchObject({ plateNumber: v.plateNumber, sz_vin: v.vin, sz_axleCount: v.axleCount });
    // Its audit event not written, an answer on the namespaced path is refused as on /graphql: 503, no data.
    const owner = ownerPool(suzhou.hub.db.url);
    const logged = suzhou.logged.length;
    await owner.query('alter table audit_event rename to audit_event_off');
    try {
      const unaudited = await post(`{ sz_vehicles(first: 1) { edges { node { plateNumber } } } }`);
      expect(unaudited.status).toBe(503);
      expect(unaudited.data).toBeUndefined();
      expect(unaudited.errors?.map((e) => e.extensions?.code)).toEqual(['AUDIT_UNAVAILABLE']);
    } finally {
      await owner.query('alter table audit_event_off rename to audit_event');
      await owner.end();
    }
    // The failure the hub logged for its operators, and nothing else.
    expect(suzhou.logged.splice(logged).map((entry) => entry.msg)).toEqual(['audit append failed']);
    // Variables of renamed input and enum types, fragments on renamed types, and the type names the hub answers with, all under the namespace.
    const typed = await post(
      `query Typed($filter: sz_VehicleFilterInput, $order: sz_VehicleOrder!) {
        sz_vehicles(first: 1, filter: $filter, orderBy: $order) { __typename ...Page edges { node { __typename plateNumber ... on Vehicle { kind: __typename } } } }
      }
      fragment Page on sz_VehicleConnection { pageInfo { __typename hasNextPage } edges { t: __typename } }`,
      { filter: { plateNumberPrefix: '沪' }, order: 'PLATE_ASC' },
    );
    expect(typed.errors).toBeUndefined();
    expect(typed.data.sz_vehicles).toEqual({
      __typename: 'sz_VehicleConnection',
      pageInfo: { __typename: 'sz_PageInfo', hasNextPage: true },
      edges: [{ t: 'sz_VehicleEdge', node: { __typename: 'Vehicle', kind: 'Vehicle', plateNumber: expect.stringMatching(/^沪/) } }],
    });
    const bomb = await post(`{ ${Array.from({ length: 31 }, (_, i) => `a${i}: sz_vehicles(first: 1) { edges { node { plateNumber } } }`).join(' ')} }`);
    expect(bomb.status).toBe(400);
    expect(bomb.errors?.[0].extensions).toMatchObject({ code: 'QUERY_LIMIT_EXCEEDED', limit: 'maxAliases' });
    // Not an operation of the namespaced subgraph: the hub's own names are refused there, before anything runs.
    const plain = await post(`{ vehicles(first: 1) { edges { node { vin } } } }`);
    expect(plain.status).toBe(400);
    expect(plain.errors?.[0].extensions).toMatchObject({ code: 'BAD_REQUEST' });
    // A persisted operation's hash alone would run under the hub's own names: refused on this path.
    const hashOnly = await fetch(namespacedUrl(suzhou), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens.get(namespacedUrl(suzhou))}`, 'x-purpose': PURPOSE },
      body: JSON.stringify({ extensions: { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } } }),
    });
    expect(hashOnly.status).toBe(400);
    // On /graphql the same aliases are the caller's own and count (30 others + sz_vin: vin), whatever header it sends.
    const ownAliases = `{ ${Array.from({ length: 30 }, (_, i) => `sz_f${i}: __typename`).join(' ')} vehicles(first: 1) { edges { node { sz_vin: vin } } } }`;
    const onGraphql = await fetch(`${suzhou.hub.url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${tokens.get(namespacedUrl(suzhou))}`,
        'x-purpose': PURPOSE,
        'x-xietong-translated': '1',
      },
      body: JSON.stringify({ query: ownAliases }),
    });
    expect(onGraphql.status).toBe(400);
    expect(((await onGraphql.json()) as { errors: Array<{ extensions: unknown }> }).errors[0].extensions).toMatchObject({
      code: 'QUERY_LIMIT_EXCEEDED',
      limit: 'maxAliases',
      actual: 31,
    });
  });

  it("joins Suzhou's vehicles with the facts Shanghai's hub holds about them, Suzhou showing Shanghai only 沪 vehicles", async () => {
    const answer = await ask(`{ sz_vehicles(first: 100) { edges { node {
      __typename plateNumber plateColor sz_vin sz_transportCertificateNumber sh_transportCertificateNumber sh_vin
    } } } }`);
    expect(answer.errors).toBeUndefined();
    const world = suzhou.world.vehicles.filter((v) => v.plateNumber.startsWith('沪')).sort((a, b) => (a.plateNumber < b.plateNumber ? -1 : 1));
    expect(world.length).toBeGreaterThanOrEqual(3);
    expect(answer.data.sz_vehicles.edges.map((e: { node: unknown }) => e.node)).toEqual(
      world.slice(0, 100).map((v) => ({
        __typename: 'Vehicle',
        plateNumber: v.plateNumber,
        plateColor: v.plateColor,
        sz_vin: v.vin,
        sz_transportCertificateNumber: v.transportCertificateNumber ?? null,
        ...(v.plateNumber === unknownToShanghai
          ? { sh_transportCertificateNumber: null, sh_vin: null }
          : { sh_transportCertificateNumber: `SH-${v.plateNumber}`, sh_vin: v.vin }),
      })),
    );
  });

  it("joins Shanghai's vehicles with Suzhou's facts only where Suzhou's agreement with Shanghai covers them (沪)", async () => {
    const answer = await ask(`{ sh_vehicles(first: 100) { edges { node { plateNumber sh_transportCertificateNumber sz_vin } } } }`);
    expect(answer.errors).toBeUndefined();
    const nodes = answer.data.sh_vehicles.edges.map(
      (e: { node: { plateNumber: string; sh_transportCertificateNumber: string; sz_vin: string | null } }) => e.node,
    );
    const vin = new Map(suzhou.world.vehicles.map((v) => [v.plateNumber, v.vin]));
    expect(nodes.some((n: { plateNumber: string }) => !n.plateNumber.startsWith('沪'))).toBe(true);
    for (const node of nodes) {
      expect(node.sh_transportCertificateNumber).toBe(`SH-${node.plateNumber}`);
      expect(node.sz_vin).toBe(node.plateNumber.startsWith('沪') ? vin.get(node.plateNumber) : null);
    }
  });

  it("masks and refuses through the gateway what Suzhou's agreement with Shanghai masks and withholds, and both hubs audit what they answered", async () => {
    const enterprise = suzhou.world.enterprises[0];
    const suzhouBefore = (await auditOf(suzhou)).length;
    const shanghaiBefore = (await auditOf(shanghai)).length;
    const masked = await ask(`{ sh_enterprise(uscc: "${enterprise.uscc}") { uscc sh_legalRepresentative sz_legalRepresentative sz_name } }`);
    expect(masked.errors).toBeUndefined();
    expect(masked.data.sh_enterprise).toMatchObject({
      uscc: enterprise.uscc,
      sh_legalRepresentative: enterprise.legalRepresentative,
      sz_name: enterprise.name,
    });
    expect(masked.data.sh_enterprise.sz_legalRepresentative).not.toBe(enterprise.legalRepresentative);
    expect(masked.data.sh_enterprise.sz_legalRepresentative).toEqual(expect.any(String));

    // Enterprise.vehicles is withheld from Shanghai by Suzhou's agreement: its fetch is refused there.
    const refused = await ask(`{ sh_enterprise(uscc: "${enterprise.uscc}") { uscc sh_name sz_vehicles { plateNumber } } }`);
    expect(refused.data.sh_enterprise).toMatchObject({ uscc: enterprise.uscc, sh_name: enterprise.name, sz_vehicles: null });
    expect(refused.errors?.map((e) => e.extensions?.code)).toContain('FORBIDDEN');

    const suzhouAudit = (await auditOf(suzhou)).slice(suzhouBefore);
    expect(suzhouAudit.map(({ agency, agreement, outcome }) => ({ agency, agreement, outcome }))).toEqual([
      { agency: SHANGHAI, agreement: 'CSJ-SH-2026-01', outcome: 'OK' },
      { agency: SHANGHAI, agreement: 'CSJ-SH-2026-01', outcome: 'DENIED' },
    ]);
    // Each hub records the operation it ran, in its own names.
    expect(suzhouAudit[0].returned).toMatchObject({ 'Enterprise.legalRepresentative': 1, 'Enterprise.name': 1 });
    const shanghaiAudit = (await auditOf(shanghai)).slice(shanghaiBefore);
    expect(shanghaiAudit.map(({ agency, agreement, outcome }) => ({ agency, agreement, outcome }))).toEqual([
      { agency: SHANGHAI, agreement: 'SHJT-2026-01', outcome: 'OK' },
      { agency: SHANGHAI, agreement: 'SHJT-2026-01', outcome: 'OK' },
    ]);
    expect(suzhou.logged).toEqual([]);
    expect(shanghai.logged).toEqual([]);
  });
  it('answers nothing on the namespaced path without a token or with a token that does not verify', async () => {
    for (const authorization of [undefined, 'Bearer not-a-token']) {
      const response = await fetch(namespacedUrl(suzhou), {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
        body: JSON.stringify({ query: '{ sz_vehicles(first: 1) { edges { node { plateNumber } } } }' }),
      });
      expect(response.status).toBe(401);
      const body = (await response.json()) as { data?: unknown; errors?: Array<{ extensions?: { code?: string } }> };
      expect(body.data ?? null).toBeNull();
      expect(body.errors?.[0].extensions?.code).toMatch(/UNAUTHENTICATED|MALFORMED_TOKEN|INVALID_TOKEN/);
    }
  });
});
