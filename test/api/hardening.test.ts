import { getIntrospectionQuery } from 'graphql';
import { execute } from '../support/graphql-client';
import { ALL_SEEING_OFFICER, startTestHub, type TestHub } from '../support/test-hub';

let t: TestHub;
beforeAll(async () => {
  t = await startTestHub('hardening');
});
afterAll(async () => {
  await t?.close();
});

/** Nothing a caller gets back shows the hub's insides or maps its schema. */
const expectNothingLeaks = (raw: string) => {
  expect(raw).not.toMatch(/\bat .*\.(ts|js):\d+/);
  expect(raw).not.toMatch(/\bselect\b.*\bfrom\b/i);
  expect(raw).not.toMatch(/Did you mean/);
};

const nested = (depth: number) => {
  let selection = 'uscc';
  for (let i = 0; i < depth; i++) selection = i % 2 === 0 ? `owner { ${selection} }` : `vehicles { ${selection} }`;
  return `{ enterprises(first: 1) { edges { node { ${selection} } } } }`;
};

describe('abusive operations are refused before any read, naming the limit', () => {
  it.each([
    ['depth', nested(12), 'maxDepth'],
    ['aliases', `{ ${Array.from({ length: 40 }, (_, i) => `a${i}: enterprises(first: 1) { totalCount }`).join(' ')} }`, 'maxAliases'],
    ['cost (nested pages multiply)', '{ enterprises(first: 500) { edges { node { vehicles { weighings(last: 100) { overloadKg } } } } } }', 'maxCost'],
  ])('%s', async (_label, query, limit) => {
    const { statements, result } = await t.hub.db.counter.measure(() => execute(t.hub.graphqlUrl, query));
    expect(result.status).toBe(400);
    expect(result.data ?? null).toBeNull();
    expect(result.errors).toHaveLength(1);
    expect(result.errors![0].extensions).toMatchObject({ code: 'QUERY_LIMIT_EXCEEDED', limit });
    expect(statements).toBe(0);
    expectNothingLeaks(result.raw);
  });

  it('cost uses the variables sent: first: $n is priced at n', async () => {
    const query = 'query($n: Int) { enterprises(first: $n) { edges { node { vehicles { weighings(last: 100) { overloadKg } } } } } }';
    const small = await execute(t.hub.graphqlUrl, query, { n: 1 });
    expect(small.errors).toBeUndefined();
    const { statements, result } = await t.hub.db.counter.measure(() => execute(t.hub.graphqlUrl, query, { n: 500 }));
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'QUERY_LIMIT_EXCEEDED', limit: 'maxCost' });
    expect(statements).toBe(0);
  });

  it('tokens: a document past the token limit is refused while parsing', async () => {
    const query = `{ ${Array.from({ length: 2500 }, () => '__typename').join(' ')} }`;
    const { statements, result } = await t.hub.db.counter.measure(() => execute(t.hub.graphqlUrl, query));
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'QUERY_LIMIT_EXCEEDED', limit: 'maxTokens' });
    expect(statements).toBe(0);
    expectNothingLeaks(result.raw);
  });

  it('misspelt fields get no suggestion', async () => {
    const result = await execute(t.hub.graphqlUrl, '{ enterprize(uscc: "x") { nam } }');
    expect(result.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expectNothingLeaks(result.raw);
  });
});

describe('introspection follows the agreement, not NODE_ENV', () => {
  it('is answered for a caller granted it', async () => {
    const result = await execute<{ __schema: { queryType: { name: string } } }, unknown>(
      t.hub.graphqlUrl,
      getIntrospectionQuery(),
      {},
      await t.headersAs(ALL_SEEING_OFFICER),
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.__schema.queryType.name).toBe('Query');
  });

  it('is refused, with the SDL, for a caller whose agreement does not grant it', async () => {
    const psb = { agency: 'suzhou-psb', roles: ['checkpoint-officer'] };
    const result = await execute(
      t.hub.graphqlUrl,
      '{ __schema { types { name } } __type(name: "Vehicle") { name } _service { sdl } }',
      {},
      await t.headersAs(psb),
    );
    expect(result.status).toBe(403);
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', deniedPaths: ['__schema', '__type', '_service'] });
    const typename = await execute(t.hub.graphqlUrl, '{ __typename }', {}, await t.headersAs(psb));
    expect(typename.data).toEqual({ __typename: 'Query' });
  });
});

describe('federation lookups are priced by the representations sent', () => {
  const query = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Enterprise { uscc } } }';
  it('a handful is answered; twelve thousand are refused before any read (their variables exceed what an audit event keeps)', async () => {
    const few = t.world.enterprises.slice(0, 3).map((e) => ({ __typename: 'Enterprise', uscc: e.uscc }));
    const answered = await execute<{ _entities: Array<{ uscc: string }> }, unknown>(t.hub.graphqlUrl, query, { r: few });
    expect(answered.errors).toBeUndefined();
    expect(answered.data!._entities.map((e) => e.uscc)).toEqual(few.map((e) => e.uscc));
    const many = Array.from({ length: 12_000 }, (_, i) => ({ __typename: 'Enterprise', uscc: t.world.enterprises[i % t.world.enterprises.length].uscc }));
    const { statements, result } = await t.hub.db.counter.measure(() => execute(t.hub.graphqlUrl, query, { r: many }));
    expect(result.status).toBe(413);
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', limit: 'variables' });
    expect(statements).toBe(0);
  });
});
