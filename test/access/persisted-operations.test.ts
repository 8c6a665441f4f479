import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../src/config';
import { execute } from '../support/graphql-client';
import { startTestHub, type TestHub } from '../support/test-hub';

const CREDIT = { agency: 'jiangsu-credit', roles: ['service'], purpose: 'credit-sanction' };
const penalties = fs.readFileSync(path.join(projectRoot, 'schema/policy/operations/credit-penalties.graphql'), 'utf8');

let t: TestHub;
beforeAll(async () => {
  t = await startTestHub('persisted_ops');
});
afterAll(async () => {
  await t?.close();
});

describe('a consumer held to persisted operations', () => {
  const window = { from: '2020-01-01T00:00:00Z', to: '2030-01-01T00:00:00Z' };

  it('runs its listed operation, however it is formatted', async () => {
    // Every penalty decided in the window, closed since or not (a closed case was decided too).
    const expected = t.world.enforcementCases.filter((c) => c.status === 'PENALTY_DECIDED' || c.status === 'CLOSED').length;
    expect(t.world.enforcementCases.some((c) => c.status === 'CLOSED')).toBe(true);
    const reformatted = penalties.replace(/#.*\n/g, '').replace(/\s+/g, ' ');
    for (const query of [penalties, reformatted]) {
      const result = await execute<{ enforcementCases: { totalCount: number } }, unknown>(t.hub.graphqlUrl, query, window, await t.headersAs(CREDIT));
      expect(result.errors).toBeUndefined();
      expect(result.data!.enforcementCases.totalCount).toBe(expected);
    }
  });

  it('pulls penalties by decision date, closed ones included, with the date, and the licence revocations', async () => {
    const decidedIn2026 = t.world.enforcementCases.filter(
      (c) => c.decidedAt !== null && c.decidedAt >= '2026-01-01T00:00:00+08:00' && c.decidedAt < '2027-01-01T00:00:00+08:00',
    );
    const closed = decidedIn2026.filter((c) => c.status === 'CLOSED');
    expect(closed.length).toBeGreaterThan(0);
    type Reply = {
      enforcementCases: { totalCount: number; edges: Array<{ node: { caseNumber: string; status: string; decidedAt: string | null } }> };
      revocations: { totalCount: number; edges: Array<{ node: { uscc: string; licences: Array<{ status: string }> } }> };
    };
    const result = await execute<Reply, unknown>(
      t.hub.graphqlUrl,
      penalties,
      { from: '2026-01-01T00:00:00+08:00', to: '2027-01-01T00:00:00+08:00' },
      await t.headersAs(CREDIT),
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.enforcementCases.totalCount).toBe(decidedIn2026.length);
    const pulled = new Map(result.data!.enforcementCases.edges.map((e) => [e.node.caseNumber, e.node]));
    for (const c of closed.slice(0, 20))
      expect(pulled.get(c.caseNumber)).toMatchObject({ caseNumber: c.caseNumber, status: 'CLOSED', decidedAt: new Date(c.decidedAt!).toISOString() });
    const revoked = new Set(t.world.licences.filter((l) => l.status === 'REVOKED').map((l) => l.holderUscc));
    expect(result.data!.revocations.totalCount).toBe(revoked.size);
    for (const e of result.data!.revocations.edges) expect(e.node.licences.some((l) => l.status === 'REVOKED')).toBe(true);
  });

  it('is refused any other operation, even one its fields would allow, before any read', async () => {
    const other = penalties.replace('penaltyAmountYuan', '');
    const { statements, result } = await t.hub.db.counter.measure(async () => execute(t.hub.graphqlUrl, other, window, await t.headersAs(CREDIT)));
    expect(result.status).toBe(403);
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'OPERATION_NOT_ALLOWED' });
    expect(statements).toBe(0);
  });

  it('still gets FORBIDDEN with paths for fields it is not granted, and may ask myAccess', async () => {
    const forbidden = await execute(t.hub.graphqlUrl, '{ vehicles { totalCount } }', {}, await t.headersAs(CREDIT));
    expect(forbidden.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', deniedPaths: ['vehicles'] });
    const mine = await execute<{ myAccess: { agency: string } }, unknown>(t.hub.graphqlUrl, '{ myAccess { agency } }', {}, await t.headersAs(CREDIT));
    expect(mine.data!.myAccess.agency).toBe('jiangsu-credit');
  });
});
