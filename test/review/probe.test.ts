import { createHash } from 'node:crypto';
import { execute } from '../support/graphql-client';
import { startTestHub, type TestCaller, type TestHub } from '../support/test-hub';

let t: TestHub;
beforeAll(async () => { t = await startTestHub('review_probe'); }, 120000);
afterAll(async () => { await t?.close(); });

const log = (label: string, v: unknown) => console.log(`${label}: ${JSON.stringify(v, null, 1).slice(0, 3000)}`);
const ADMIN: TestCaller = { agency: 'suzhou-transport', roles: ['administrator'], purpose: 'hub-operations' };
const AMR: TestCaller = { agency: 'suzhou-amr', roles: ['officer'], purpose: 'joint-inspection' };
const SH: TestCaller = { agency: 'shanghai-transport', roles: ['officer'], purpose: 'cross-region-enforcement' };
const AUDITOR: TestCaller = { agency: 'suzhou-transport', roles: ['auditor'], purpose: 'audit' };

async function newest() {
  const { rows } = await t.hub.db.pool.query('select seq, content from audit_event order by seq desc limit 1');
  return rows[0];
}

test('P1 variable default bypasses filter tests', async () => {
  const lit = await execute(t.hub.graphqlUrl, '{ enterprises(filter: {licenceScope: FREIGHT_DANGEROUS_GOODS}) { totalCount } }', {}, await t.headersAs(ADMIN));
  log('admin literal licenceScope', { status: lit.status, errors: lit.errors, data: lit.data });
  const def = await execute(t.hub.graphqlUrl, 'query Q($f: EnterpriseFilterInput = {licenceScope: FREIGHT_DANGEROUS_GOODS}) { enterprises(filter: $f, first: 3) { totalCount edges { node { uscc } } } }', {}, await t.headersAs(ADMIN));
  log('admin default licenceScope', { status: def.status, errors: def.errors, data: def.data });
  const all = await execute(t.hub.graphqlUrl, '{ enterprises { totalCount } }', {}, await t.headersAs(ADMIN));
  log('admin all', all.data);
  const withCase = t.world.enforcementCases.find((c) => c.vehiclePlateNumber)!;
  const lit2 = await execute(t.hub.graphqlUrl, `{ enforcementCases(filter: {plateNumber: "${withCase.vehiclePlateNumber}"}) { totalCount } }`, {}, await t.headersAs(AMR));
  log('amr literal plate', { status: lit2.status, errors: lit2.errors });
  const def2 = await execute(t.hub.graphqlUrl, `query Q($f: EnforcementCaseFilterInput = {plateNumber: "${withCase.vehiclePlateNumber}"}) { enforcementCases(filter: $f) { totalCount edges { node { caseNumber } } } }`, {}, await t.headersAs(AMR));
  log('amr default plate', { status: def2.status, errors: def2.errors, data: def2.data, expected: withCase.caseNumber });
});

test('P2 _entities audit', async () => {
  const v = t.world.vehicles.filter((x) => x.plateNumber.startsWith('沪')).slice(0, 3);
  const r = await execute(t.hub.graphqlUrl, 'query Fed($r: [_Any!]!) { _entities(representations: $r) { ... on Vehicle { plateNumber vin owner { uscc name legalRepresentative } } } }',
    { r: v.map((x) => ({ __typename: 'Vehicle', plateNumber: x.plateNumber, plateColor: x.plateColor })) }, await t.headersAs(SH));
  log('sh entities', { status: r.status, errors: r.errors, data: r.data });
  log('audit', (await newest()).content);
  const r2 = await execute(t.hub.graphqlUrl, 'query Norm($p: String!, $c: PlateColor!) { vehicle(plateNumber: $p, plateColor: $c) { plateNumber vin owner { uscc name legalRepresentative } } }',
    { p: v[0].plateNumber, c: v[0].plateColor }, await t.headersAs(SH));
  log('audit normal', (await newest()).content);
  const rep = await execute(t.hub.graphqlUrl, '{ dataAccessReport(source: "suzhou-transport", from: "2020-01-01T00:00:00Z", to: "2030-01-01T00:00:00Z") { consumerAgency purpose operations records } }', {}, await t.headersAs(AUDITOR));
  log('report transport', rep.data);
  void r2;
});

test('P3 APQ document hash', async () => {
  const q = '{ enterprises(first: 1) { totalCount } }';
  const hash = createHash('sha256').update(q).digest('hex');
  const post = async (body: unknown) => {
    const h = await t.headersAs(ADMIN);
    const res = await fetch(t.hub.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...h }, body: JSON.stringify(body) });
    return res.text();
  };
  log('register', await post({ query: q, extensions: { persistedQuery: { version: 1, sha256Hash: hash } } }));
  log('audit register', (await newest()).content.documentHash);
  log('hit', await post({ extensions: { persistedQuery: { version: 1, sha256Hash: hash } } }));
  log('audit hit', (await newest()).content);
  log('sha of empty', createHash('sha256').update('').digest('hex'));
});
