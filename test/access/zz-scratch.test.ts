import { execute } from '../support/graphql-client';
import { startTestHub, type TestHub } from '../support/test-hub';

let t: TestHub;
beforeAll(async () => { t = await startTestHub('scratch'); });
afterAll(async () => { await t?.close(); });

it('scratch', async () => {
  const h = await t.headersAs({ agency: 'suzhou-transport', roles: ['analyst'], purpose: 'statistics' });
  const r = await execute(t.hub.graphqlUrl, `{ practitioners(first: 2) { edges { cursor node { certificateNumber } } pageInfo { endCursor } } }`, {}, h);
  console.log(r.status, r.raw);
  const c = JSON.parse(r.raw).data.practitioners.edges.map((e: any) => Buffer.from(e.cursor, 'base64url').toString());
  console.log(c);
  const h2 = await t.headersAs({ agency: 'suzhou-transport', roles: ['analyst'], purpose: 'statistics' });
  const r2 = await execute(t.hub.graphqlUrl, `{ enterprises(first: 2) { edges { cursor node { legalRepresentative name } } } }`, {}, h2);
  console.log(r2.raw);
});
