import 'reflect-metadata';
import { getOperationAST, parse, type GraphQLSchema } from 'graphql';
import { AccessPolicy } from '../../src/access/access-grant';
import { loadAgreements } from '../../src/access/agreements';
import { RequestAccess } from '../../src/access/request-access';
import type { AgencyRegistry } from '../../src/auth/agencies';
import { loadConfig } from '../../src/config';
import { openDatabase, type Database } from '../../src/db/database';
import { dropDatabase } from '../../src/db/ensure-database';
import { entityModelOf, HUB_DOMAINS } from '../../src/domains';
import { AccessDeniedError, ErrorCode } from '../../src/errors';
import { createHubContext, type HubContext } from '../../src/graphql/context';
import { HUB_PARTS } from '../../src/graphql/composition';
import { buildHubSchema } from '../../src/graphql/schema';
import { relationsOf } from '../../src/read-kit/domain-descriptor';
import { RequestOperation } from '../../src/read-kit/operation/request-operation';
import { ReadGateway } from '../../src/read-kit/rows/read-gateway';
import { freshDatabaseUrl } from '../support/test-database';

let db: Database;
let gateway: ReadGateway;
let schema: GraphQLSchema;
let policy: AccessPolicy;
let agencies: AgencyRegistry;
beforeAll(async () => {
  const config = loadConfig({ DATABASE_URL: freshDatabaseUrl('request_context') });
  db = await openDatabase(config, entityModelOf(HUB_DOMAINS));
  gateway = new ReadGateway(db, { statementTimeoutMs: config.readLimits.statementTimeoutMs, onIdleError: () => undefined });
  schema = await buildHubSchema(HUB_PARTS);
  const file = loadAgreements(config.agreementsFile, schema);
  policy = new AccessPolicy(file.agreements, file.jurisdictions);
  agencies = file.agencies;
});
afterAll(async () => {
  await gateway?.close();
  await db?.close();
  await dropDatabase(db.url);
});

const officer = { agency: 'suzhou-transport', subject: 's', roles: ['officer'], divisions: ['3205'] };
const QUERY = 'query($n: Int = 2) { vehicles(first: $n) { totalCount } }';

function contextOf(access: RequestAccess | null): HubContext {
  const operation = new RequestOperation();
  const relations = relationsOf(HUB_DOMAINS);
  const reads = gateway.forRequest({ operation, access, relations });
  return createHubContext({
    reads,
    sql: reads.bookkeeping,
    operation,
    viewer: access?.viewer ?? null,
    access,
    effectAudit: null,
    auditTrail: null,
    sync: null,
    caseTransfers: null,
    crimeCatalogue: null,
    watchWrites: null,
    inspectionWrites: null,
    inspectionRules: null,
    cooperation: null,
    watchRules: () => ({ caseNumberRequired: false, maxDays: 90 }),
    liveEvent: null,
    overWebSocket: false,
    clueWorkflow: null,
    meter: null,
    agencies,
    relations,
  });
}

/** Apollo hands resolvers a copy of the context made like this (ApolloServer.js, `cloneObject`). */
const apolloCopy = (context: HubContext): HubContext => Object.assign(Object.create(Object.getPrototypeOf(context) as object) as HubContext, context);

const resolve = (context: HubContext, variables: Record<string, unknown> = {}) => {
  const document = parse(QUERY);
  return context.operation.resolve(schema, document, getOperationAST(document)!, variables);
};

describe("a request's context", () => {
  it("makes its loaders on first use, once the operation is analysed, and Apollo's copy shares them", () => {
    const context = contextOf(null);
    const copy = apolloCopy(context);
    expect(() => copy.loaders).toThrow(/analysed operation/);
    resolve(context);
    const loaders = copy.loaders;
    expect(context.loaders).toBe(loaders);
    expect(apolloCopy(context).loaders).toBe(loaders);
  });

  it('analyses its operation once, and coerces its variables once (defaults filled in)', () => {
    const context = contextOf(null);
    const analysis = resolve(context);
    expect(context.operation.analysis).toBe(analysis);
    expect(context.operation.variables).toEqual({ n: 2 });
    expect(context.operation.variables).toBe(context.operation.variables);
    expect(() => resolve(context)).toThrow(/resolved once/);
  });
});

describe("a request's access", () => {
  it('moves one way: declared, then authorized under a new grant; never twice, never out of order', async () => {
    const access = new RequestAccess(officer, policy);
    const empty = access.grant;
    expect(empty.agreement).toBeNull();
    const context = contextOf(access);
    const analysis = resolve(context);
    await expect(access.authorize(analysis, {}, context)).rejects.toThrow(/after it declared/);
    access.declare({ extensions: { purpose: 'random-inspection', agreement: 'SZJT-2026-01' }, header: () => undefined });
    expect(() => access.declare({ header: () => undefined })).toThrow(/once/);
    expect(access.grant).not.toBe(empty);
    expect(access.grant.agreement?.id).toBe('SZJT-2026-01');
    expect(empty.agreement).toBeNull();
    await access.authorize(analysis, context.operation.variables!, context);
    expect(access.authorized?.fields).toContain('Query.vehicles');
    await expect(access.authorize(analysis, {}, context)).rejects.toThrow(/authorized once/);
  });

  it('keeps the first refusal, whichever check made it', () => {
    const access = new RequestAccess(officer, policy);
    const first = new AccessDeniedError(ErrorCode.FORBIDDEN, 'first');
    expect(access.deny(first)).toBe(first);
    access.deny(new AccessDeniedError(ErrorCode.CASE_REQUIRED, 'second'));
    expect(access.denied).toBe(first);
  });
});
