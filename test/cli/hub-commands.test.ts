import { runXietong } from '../support/run-xietong';
import { startTestHub, type TestHub } from '../support/test-hub';

/**
 * The commands that go through a running hub: `xietong token` (an access token from its token
 * endpoint) and `xietong sync status|trigger|retry`, which sign in there as the bureau's
 * administrator and send the typed operations, so the agreements and the audit apply.
 */

let t: TestHub;
beforeAll(async () => {
  t = await startTestHub('cli_hub_commands');
});
afterAll(async () => {
  await t?.close();
});

const sync = (...args: string[]) => runXietong(['sync', ...args, '--hub', t.hub.url]);
const runs = async () => (await t.hub.db.pool.query<{ n: number }>('select count(*)::int as n from sync_run')).rows[0].n;

const whoAmI = (token: string) =>
  fetch(t.hub.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: '{ myAccess { agency roles divisions } }' }),
  }).then(async (r) => ({ status: r.status, body: (await r.json()) as { data?: { myAccess: unknown } } }));

describe('xietong token', () => {
  it('prints an access token from the token endpoint that the hub accepts again and again; --json gives the OAuth answer', async () => {
    const text = await runXietong(['token', '--hub', t.hub.url, '--agency', 'suzhou-transport', '--role', 'officer', '--division', '320505']);
    expect(text).toMatchObject({ code: 0, err: '', out: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/) });
    for (let i = 0; i < 3; i++) {
      expect(await whoAmI(text.out)).toEqual({
        status: 200,
        body: { data: { myAccess: { agency: 'suzhou-transport', roles: ['officer'], divisions: ['320505'] } } },
      });
    }
    const json = await runXietong(['token', '--hub', t.hub.url, '--agency', 'suzhou-psb', '--role', 'case-officer', '--json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.out)).toEqual({ access_token: expect.any(String), expires_in: 600, scope: 'role:case-officer' });
  });

  it('exits 1 when the token endpoint refuses, 2 for bad usage and 3 when the hub cannot be reached', async () => {
    expect(await runXietong(['token', '--hub', t.hub.url, '--agency', 'suzhou-amr', '--role', 'administrator'])).toMatchObject({
      code: 1,
      out: '',
      err: "xietong: the hub refused: invalid_scope: suzhou-amr may claim the roles officer, analyst; not 'administrator'",
    });
    expect(await runXietong(['token', '--hub', t.hub.url, '--role', 'officer'])).toMatchObject({
      code: 2,
      err: 'xietong: name the agency (--agency), or sign with your own key (--client-id and --key)',
    });
    expect(await runXietong(['token', '--hub', t.hub.url, '--client-id', 'https://x', '--key', '/nonexistent.jwk', '--role', 'officer'])).toMatchObject({
      code: 2,
      err: expect.stringMatching(/^xietong: --key \/nonexistent\.jwk is not a readable JWK file/),
    });
    expect(await runXietong(['token', '--hub', 'http://127.0.0.1:9', '--agency', 'suzhou-amr', '--role', 'officer'])).toMatchObject({
      code: 3,
      err: expect.stringMatching(/^xietong: cannot reach the hub at http:\/\/127\.0\.0\.1:9 /),
    });
  });
});

describe('xietong sync', () => {
  it('status lists every stream of every system, as a table or as the hub answered it', async () => {
    const text = await sync('status');
    expect(text).toMatchObject({ code: 0, err: '' });
    const lines = text.out.split('\n');
    expect(lines[0]).toMatch(/^SYSTEM +STREAM +LAST SUCCESS +LAG +NEXT RUN +LAST RUN +CURRENT RUN +NEEDS ATTENTION$/);
    expect(lines.find((l) => l.startsWith('TRANSPORT ') && / vehicles /.test(l))).toBeDefined();
    const json = await sync('status', '--json');
    expect(json.code).toBe(0);
    const { connectors } = JSON.parse(json.out) as { connectors: Array<{ system: string; streams: Array<{ stream: string }> }> };
    expect(connectors.map((c) => c.system).sort()).toEqual(['CHECKPOINT_EXCHANGE', 'CREDIT_PLATFORM', 'MARKET_REGISTRY', 'TRANSPORT']);
    // One table row per stream.
    expect(lines.length - 1).toBe(connectors.reduce((n, c) => n + c.streams.length, 0));
  });

  it('trigger queues one run and then names it instead of starting a second; retry releases and queues a FULL run', async () => {
    const first = await sync('trigger', 'MARKET_REGISTRY', 'enterprises', '--mode', 'FULL');
    expect(first).toMatchObject({ code: 0, out: expect.stringMatching(/^queued run (\d+) \(MARKET_REGISTRY enterprises FULL\)$/) });
    const id = /run (\d+)/.exec(first.out)![1];
    const again = await sync('trigger', 'MARKET_REGISTRY', 'enterprises', '--mode', 'FULL', '--json');
    expect(again.code).toBe(0);
    expect(JSON.parse(again.out)).toMatchObject({
      alreadyRunning: true,
      run: { id, system: 'MARKET_REGISTRY', stream: 'enterprises', mode: 'FULL', status: 'QUEUED', requestedBy: expect.stringMatching(/^suzhou-transport\//) },
    });
    const retried = await sync('retry', 'CREDIT_PLATFORM', 'ratings');
    expect(retried).toMatchObject({ code: 0, out: expect.stringMatching(/^released 0 quarantined records; queued run \d+ \(CREDIT_PLATFORM ratings FULL\)$/) });
    // Each went through GraphQL as the administrator, and is in the audit.
    const { rows } = await t.hub.db.pool.query<{ operation: string; roles: string[] }>(
      `select content->>'operationName' as operation, content->'roles' as roles from audit_event
       where content->>'operationName' in ('TriggerSync', 'RetryQuarantined') order by seq`,
    );
    expect(rows).toEqual([
      { operation: 'TriggerSync', roles: ['administrator'] },
      { operation: 'TriggerSync', roles: ['administrator'] },
      { operation: 'RetryQuarantined', roles: ['administrator'] },
    ]);
  });

  it('exits 1 when the hub refuses (a role without the grant, an unknown stream, a role the agency lacks), changing nothing', async () => {
    const before = await runs();
    expect(await sync('trigger', 'TRANSPORT', 'vehicles', '--role', 'analyst', '--purpose', 'statistics')).toMatchObject({
      code: 1,
      out: '',
      err: 'xietong: the hub answered TriggerSync with HTTP 403 FORBIDDEN: Not granted to suzhou-transport (analyst): triggerSync',
    });
    expect(await sync('trigger', 'TRANSPORT', 'spaceships')).toMatchObject({
      code: 1,
      err: 'xietong: the hub answered TriggerSync with HTTP 200 BAD_USER_INPUT: Invalid value for "stream": TRANSPORT has no stream "spaceships"',
    });
    expect(await sync('status', '--agency', 'suzhou-psb')).toMatchObject({
      code: 1,
      err: expect.stringMatching(/^xietong: the hub refused: invalid_scope: suzhou-psb may claim the roles .*; not 'administrator'$/),
    });
    expect(await runs()).toBe(before);
  });

  it('exits 2 for bad usage, naming what to fix, and 3 when the hub cannot be reached', async () => {
    const badSystem = await sync('trigger', 'NOWHERE', 'vehicles');
    expect(badSystem.code).toBe(2);
    expect(badSystem.err).toMatch(/^error: command-argument value 'NOWHERE' is invalid for argument 'system'\. Allowed choices are TRANSPORT, MARKET_REGISTRY/);
    expect((await sync('trigger', 'TRANSPORT', 'vehicles', '--mode', 'SOMETIMES')).code).toBe(2);
    expect((await sync('trigger', 'TRANSPORT')).err).toMatch(/^error: missing required argument 'stream'/);
    expect(await sync('status', '--key', '/nonexistent.jwk')).toMatchObject({
      code: 2,
      err: 'xietong: --key needs --client-id (the issuer the trust configuration lists the key under)',
    });
    expect(await sync('status', '--agency', 'moon-police')).toMatchObject({ code: 2, err: expect.stringMatching(/^xietong: unknown agency "moon-police"/) });
    expect(await runXietong(['sync', 'status', '--hub', 'ftp://hub'])).toMatchObject({ code: 2, err: 'xietong: --hub must be an http(s) URL, not ftp://hub' });
    const down = await runXietong(['sync', 'status', '--hub', 'http://127.0.0.1:9']);
    expect(down).toMatchObject({
      code: 3,
      err: expect.stringMatching(/^xietong: cannot reach the hub at http:\/\/127\.0\.0\.1:9 .*ECONNREFUSED.*; start it \(npm start\) or pass --hub <url>$/),
    });
  });
});
