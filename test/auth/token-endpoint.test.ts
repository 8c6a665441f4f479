import {
  calculateJwkThumbprint,
  createRemoteJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  exportSPKI,
  importJWK,
  jwtVerify,
  SignJWT,
  type JWK,
  type KeyLike,
} from 'jose';
import type { Pool } from 'pg';
import { devIssuer, devPrivateJwk, HUB_AUDIENCE, JWT_BEARER_ASSERTION, mintDevToken } from '../../src/auth';
import { loadConfig } from '../../src/config';
import { loadAgencies } from '../../src/access/agreements';
import { ownerPool } from '../support/owner-pool';
import { startTestHub, type TestHub } from '../support/test-hub';

/**
 * The token endpoint over real HTTP against a real hub (development trust): RFC 6749 client
 * credentials with RFC 7523 client assertions, answered with reusable RFC 9068 access tokens.
 * The attacks on bearer tokens (test/access/authentication.test.ts) are made here against the
 * client assertion: each is `invalid_client` (401, WWW-Authenticate), no token, nothing leaked.
 */

const AGENCY = 'suzhou-psb';
const agencies = loadAgencies(loadConfig({}).agreementsFile);
const CLIENT = devIssuer(AGENCY);

let t: TestHub;
let owner: Pool;
let tokenEndpoint: string;
/** suzhou-psb's development key (private), and another agency's. */
let psbJwk: JWK;
let psbKey: KeyLike;
let amrJwk: JWK;
let amrKey: KeyLike;
let n = 0;

beforeAll(async () => {
  t = await startTestHub('oauth_endpoint');
  owner = ownerPool(t.hub.db.url);
  tokenEndpoint = `${t.hub.url}/oauth/token`;
  const dataDir = loadConfig({}).dataDir;
  psbJwk = devPrivateJwk(dataDir, AGENCY) as JWK;
  amrJwk = devPrivateJwk(dataDir, 'suzhou-amr') as JWK;
  psbKey = (await importJWK(psbJwk, 'ES256')) as KeyLike;
  amrKey = (await importJWK(amrJwk, 'ES256')) as KeyLike;
});
afterAll(async () => {
  await owner?.end();
  await t?.close();
});

interface Assertion {
  key?: KeyLike | Uint8Array;
  kid?: string;
  alg?: string;
  typ?: string;
  iss?: string;
  sub?: string;
  aud?: string | string[];
  exp?: number;
  iat?: number;
  nbf?: number;
  jti?: string;
  claims?: Record<string, unknown>;
  omit?: string[];
  crit?: string;
}

/** A client assertion as suzhou-psb's system signs it, with any part overridden for an attack. */
async function assertion(o: Assertion = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const claims: Record<string, unknown> = {
    iss: o.iss ?? CLIENT,
    sub: o.sub ?? CLIENT,
    aud: o.aud ?? tokenEndpoint,
    jti: o.jti ?? `assert-${process.pid}-${++n}-${Math.random()}`,
    iat: o.iat ?? now,
    exp: o.exp ?? now + 60,
    ...(o.nbf !== undefined ? { nbf: o.nbf } : {}),
    ...o.claims,
  };
  for (const k of o.omit ?? []) delete claims[k];
  return new SignJWT(claims)
    .setProtectedHeader({ alg: o.alg ?? 'ES256', kid: o.kid ?? psbJwk.kid, typ: o.typ ?? 'JWT', ...(o.crit ? { crit: [o.crit], [o.crit]: true } : {}) })
    .sign(o.key ?? psbKey, o.crit ? { crit: { [o.crit]: true } } : undefined);
}

interface Reply {
  status: number;
  headers: Headers;
  raw: string;
  body: Record<string, unknown>;
}

/** One token request with exactly the given body (a form unless `contentType` says otherwise). */
async function post(body: Record<string, string> | string, headers: Record<string, string> = {}): Promise<Reply> {
  const response = await fetch(tokenEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: typeof body === 'string' ? body : new URLSearchParams(body),
  });
  const raw = await response.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = JSON.parse(raw) as Record<string, unknown>;
  } catch {
    // Asserted on below.
  }
  return { status: response.status, headers: response.headers, raw, body: parsed };
}

/** A well-formed token request with `assertion` (fresh by default) and `scope`. */
async function request(scope = 'role:case-officer', jwt?: string, extra: Record<string, string> = {}): Promise<Reply> {
  return post({ grant_type: 'client_credentials', client_assertion_type: JWT_BEARER_ASSERTION, client_assertion: jwt ?? (await assertion()), scope, ...extra });
}

/** What must never be in a refusal: stack frames, file paths, SQL. */
function expectNothingLeaks(raw: string): void {
  expect(raw).not.toMatch(/\bat .+\.(js|ts):\d+/);
  expect(raw).not.toMatch(/(\/[\w.-]+){2,}\.(js|ts)\b/);
  expect(raw).not.toMatch(/node_modules|stacktrace/i);
  expect(raw).not.toMatch(/\b(select|insert|update|delete)\b.+\b(from|into|set)\b/i);
}

/** Expects exactly the RFC 6749 §5.2 error `error` (description matching `description`), with no token. */
function expectError(reply: Reply, error: string, description: RegExp, status = error === 'invalid_client' ? 401 : 400): void {
  expect({ status: reply.status, error: reply.body.error }).toEqual({ status, error });
  expect(Object.keys(reply.body).sort()).toEqual(['error', 'error_description']);
  expect(reply.body.error_description).toMatch(description);
  // RFC 6749 §5.2: error_description holds printable ASCII other than `"` and `\`.
  expect(reply.body.error_description).toMatch(/^[\x20-\x21\x23-\x5b\x5d-\x7e]+$/);
  expect(reply.headers.get('cache-control')).toBe('no-store');
  expect(reply.headers.get('content-type')).toMatch(/^application\/json/);
  if (error === 'invalid_client') expect(reply.headers.get('www-authenticate')).toBe('Bearer realm="xietong", error="invalid_client"');
  expectNothingLeaks(reply.raw);
}

const graphql = (token: string, query: string) =>
  fetch(t.hub.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query }),
  }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }));

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

describe('the token endpoint issues reusable access tokens', () => {
  it('answers a client-credentials request with an RFC 6749 §5.1 token response, never cached', async () => {
    const reply = await request('division:3205 role:case-officer role:case-officer');
    expect(reply.status).toBe(200);
    expect(reply.headers.get('cache-control')).toBe('no-store');
    expect(reply.headers.get('pragma')).toBe('no-cache');
    expect(reply.body).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 600, scope: 'role:case-officer division:3205' });
    const token = reply.body.access_token as string;
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'EdDSA', typ: 'at+jwt', kid: expect.stringMatching(/^hub-[\w-]{43}$/) });
    const claims = decodeJwt(token);
    expect(claims).toEqual({
      iss: t.hub.url,
      sub: CLIENT,
      aud: HUB_AUDIENCE,
      client_id: CLIENT,
      scope: 'role:case-officer division:3205',
      agency: AGENCY,
      roles: ['case-officer'],
      divisions: ['3205'],
      jti: expect.any(String),
      iat: expect.any(Number),
      exp: claims.iat! + 600,
    });
  });

  it("is reused: 25 requests with one token all succeed, each audited with the token's jti", async () => {
    const token = (await request('role:case-officer')).body.access_token as string;
    const { jti } = decodeJwt(token);
    for (let i = 0; i < 25; i++) {
      expect(await graphql(token, '{ myAccess { agency subject roles } }')).toEqual({
        status: 200,
        body: { data: { myAccess: { agency: AGENCY, subject: CLIENT, roles: ['case-officer'] } } },
      });
    }
    const { rows } = await owner.query<{ operation: string | null; count: number }>(
      "select content->>'operationName' as operation, count(*)::int as count from audit_event where content->>'tokenId' = $1 group by 1 order by 1",
      [jti],
    );
    // The token's issue and its 25 uses.
    expect(rows).toEqual([
      { operation: '/oauth/token', count: 1 },
      { operation: null, count: 25 },
    ]);
  });

  it('publishes its metadata (RFC 8414) and keys; a client verifies the token with them (RFC 9068)', async () => {
    const metadata = (await (await fetch(`${t.hub.url}/.well-known/oauth-authorization-server`)).json()) as Record<string, unknown>;
    expect(metadata).toMatchObject({
      issuer: t.hub.url,
      token_endpoint: tokenEndpoint,
      jwks_uri: `${t.hub.url}/.well-known/jwks.json`,
      grant_types_supported: ['client_credentials'],
      token_endpoint_auth_methods_supported: ['private_key_jwt'],
      token_endpoint_auth_signing_alg_values_supported: ['ES256', 'EdDSA'],
    });
    expect(metadata.scopes_supported).toEqual(expect.arrayContaining(['role:officer', 'role:case-officer', 'role:analyst']));
    const jwks = (await (await fetch(metadata.jwks_uri as string)).json()) as { keys: JWK[] };
    expect(jwks.keys).toEqual([{ kty: 'OKP', crv: 'Ed25519', x: expect.any(String), kid: expect.stringMatching(/^hub-/), alg: 'EdDSA', use: 'sig' }]);
    // The key id is the key's RFC 7638 thumbprint.
    expect(jwks.keys[0].kid).toBe(`hub-${await calculateJwkThumbprint(jwks.keys[0])}`);
    const token = (await request('role:checkpoint-officer')).body.access_token as string;
    const keys = createRemoteJWKSet(new URL(metadata.jwks_uri as string));
    const { payload } = await jwtVerify(token, keys, { issuer: t.hub.url, audience: HUB_AUDIENCE, typ: 'at+jwt' });
    expect(payload.roles).toEqual(['checkpoint-officer']);
  });

  it("accepts the hub's issuer, its token endpoint and its audience name as the assertion's audience", async () => {
    for (const aud of [t.hub.url, tokenEndpoint, HUB_AUDIENCE, ['https://elsewhere.example', tokenEndpoint]]) {
      expect((await request('role:case-officer', await assertion({ aud }))).status).toBe(200);
    }
  });

  it('accepts an assertion without iat (optional in RFC 7523), and a client_id naming the client', async () => {
    expect((await request('role:case-officer', await assertion({ omit: ['iat'] }), { client_id: CLIENT })).status).toBe(200);
  });
});

describe('token requests that break the protocol (RFC 6749 §5.2)', () => {
  it('refuses anything but a form POST', async () => {
    const get = await fetch(tokenEndpoint);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    expect(await get.json()).toEqual({ error: 'invalid_request', error_description: 'token requests are POSTed' });
    const json = await post(JSON.stringify({ grant_type: 'client_credentials' }), { 'content-type': 'application/json' });
    expectError(json, 'invalid_request', /application\/x-www-form-urlencoded/);
  });

  it('refuses a missing or unsupported grant type', async () => {
    expectError(await post({ scope: 'role:case-officer' }), 'invalid_request', /grant_type is missing/);
    for (const grant of ['authorization_code', 'password', 'refresh_token', 'urn:ietf:params:oauth:grant-type:jwt-bearer']) {
      expectError(await post({ grant_type: grant }), 'unsupported_grant_type', /only for grant_type=client_credentials/);
    }
  });

  it('refuses a parameter given twice', async () => {
    const jwt = await assertion();
    const type = encodeURIComponent(JWT_BEARER_ASSERTION);
    expectError(
      await post(`grant_type=client_credentials&client_assertion_type=${type}&client_assertion=${jwt}&client_assertion=${jwt}`),
      'invalid_request',
      /client_assertion is given more than once/,
    );
    expectError(await post('grant_type=client_credentials&grant_type=client_credentials'), 'invalid_request', /grant_type is given more than once/);
  });

  it('refuses a request without client authentication, or with another method than private_key_jwt', async () => {
    expectError(await post({ grant_type: 'client_credentials', scope: 'role:case-officer' }), 'invalid_client', /no client authentication/);
    expectError(
      await post({ grant_type: 'client_credentials' }, { authorization: `Basic ${Buffer.from(`${CLIENT}:secret`).toString('base64')}` }),
      'invalid_client',
      /not the Authorization header/,
    );
    expectError(await post({ grant_type: 'client_credentials', client_id: CLIENT, client_secret: 'secret' }), 'invalid_client', /not client_secret/);
    expectError(await request('role:case-officer', undefined, { client_secret: 'secret' }), 'invalid_request', /one client authentication method/);
    const saml = 'urn:ietf:params:oauth:client-assertion-type:saml2-bearer';
    expectError(
      await post({ grant_type: 'client_credentials', client_assertion_type: saml, client_assertion: await assertion() }),
      'invalid_client',
      /client_assertion_type must be/,
    );
    expectError(
      await post({ grant_type: 'client_credentials', client_assertion_type: JWT_BEARER_ASSERTION }),
      'invalid_request',
      /client_assertion is missing/,
    );
    expectError(await request('role:case-officer', undefined, { client_id: devIssuer('suzhou-amr') }), 'invalid_client', /client_id is not the client/);
  });

  it('refuses an oversized request with 413 and closes the connection', async () => {
    const reply = await post(`grant_type=client_credentials&scope=${'a'.repeat(20_000)}`);
    expect(reply.status).toBe(413);
    expect(reply.body).toEqual({ error: 'invalid_request', error_description: 'the request exceeds 16384 bytes' });
  });

  it('answers malformed forms with 4xx, never 500, and logs nothing', async () => {
    for (const body of ['%', '=&=&=', 'grant_type=%FF%FE', 'grant_type=client_credentials&client_assertion=%00', '&&&&', `scope=${'role:x '.repeat(500)}`]) {
      const reply = await post(body);
      expect(reply.status).toBeGreaterThanOrEqual(400);
      expect(reply.status).toBeLessThan(500);
      expectNothingLeaks(reply.raw);
    }
    expect(t.logged).toEqual([]);
  });
});

describe('client assertion attacks: each is invalid_client, and no token', () => {
  it('refuses alg "none" (unsigned)', async () => {
    const now = Math.floor(Date.now() / 1000);
    const claims = { iss: CLIENT, sub: CLIENT, aud: tokenEndpoint, jti: `none-${Math.random()}`, iat: now, exp: now + 60 };
    const unsigned = `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`;
    expectError(await request('role:case-officer', unsigned), 'invalid_client', /must be signed with ES256 or EdDSA/);
  });

  it("refuses HS256 signed with the client's public key as the shared secret (key confusion)", async () => {
    const { d: _private, ...publicJwk } = psbJwk;
    const pem = await exportSPKI((await importJWK(publicJwk, 'ES256')) as KeyLike);
    for (const secret of [pem, JSON.stringify(publicJwk)]) {
      const forged = await assertion({ alg: 'HS256', key: new TextEncoder().encode(secret) });
      expectError(await request('role:case-officer', forged), 'invalid_client', /must be signed with ES256 or EdDSA/);
    }
  });

  it('refuses an assertion for another audience', async () => {
    for (const aud of ['https://idp.suzhou-psb.example/token', 'urn:xietong:shanghai-hub', `${t.hub.url}/graphql`]) {
      expectError(await request('role:case-officer', await assertion({ aud })), 'invalid_client', /aud must name this hub/);
    }
  });

  it('refuses an expired assertion, one not valid yet, and one valid for longer than five minutes', async () => {
    const now = Math.floor(Date.now() / 1000);
    expectError(await request('role:case-officer', await assertion({ iat: now - 200, exp: now - 60 })), 'invalid_client', /has expired/);
    expectError(await request('role:case-officer', await assertion({ nbf: now + 120 })), 'invalid_client', /not valid yet/);
    expectError(await request('role:case-officer', await assertion({ iat: now + 120, exp: now + 180 })), 'invalid_client', /not valid yet/);
    expectError(await request('role:case-officer', await assertion({ exp: now + 3600 })), 'invalid_client', /exp is more than 300 s ahead/);
    expectError(await request('role:case-officer', await assertion({ iat: now - 600, exp: now + 60 })), 'invalid_client', /issued more than 300 s ago/);
  });

  it('refuses a replayed assertion: its jti authenticates one request, even racing', async () => {
    const jwt = await assertion();
    expect((await request('role:case-officer', jwt)).status).toBe(200);
    expectError(await request('role:case-officer', jwt), 'invalid_client', /jti was used before/);
    // Another assertion reusing the jti is the same replay.
    const jti = `reused-${Math.random()}`;
    expect((await request('role:case-officer', await assertion({ jti }))).status).toBe(200);
    expectError(await request('role:case-officer', await assertion({ jti })), 'invalid_client', /jti was used before/);
    const racing = await assertion();
    const replies = await Promise.all(Array.from({ length: 8 }, () => request('role:case-officer', racing)));
    expect(replies.map((r) => r.status).sort()).toEqual([200, ...Array(7).fill(401)]);
  });

  it('refuses an unknown client, and a client other than its issuer (sub must equal iss)', async () => {
    const evil = 'https://idp.evil.example';
    expectError(await request('role:case-officer', await assertion({ iss: evil, sub: evil })), 'invalid_client', /iss names no client/);
    expectError(await request('role:case-officer', await assertion({ sub: devIssuer('suzhou-transport') })), 'invalid_client', /sub must equal iss/);
    expectError(await request('role:case-officer', await assertion({ omit: ['sub'] })), 'invalid_client', /lacks a required claim/);
    expectError(await request('role:case-officer', await assertion({ omit: ['jti'] })), 'invalid_client', /lacks a required claim/);
  });

  it("refuses a bad signature, a tampered payload, and another agency's key", async () => {
    const [h, p, s] = (await assertion()).split('.');
    const flipped = `${s.slice(0, 10)}${s[10] === 'A' ? 'B' : 'A'}${s.slice(11)}`;
    expectError(await request('role:case-officer', `${h}.${p}.${flipped}`), 'invalid_client', /signature does not verify/);
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
    const extended = `${h}.${b64({ ...payload, exp: (payload.exp as number) + 30 })}.${s}`;
    expectError(await request('role:case-officer', extended), 'invalid_client', /signature does not verify/);
    expectError(await request('role:case-officer', await assertion({ key: amrKey, kid: amrJwk.kid })), 'invalid_client', /kid names none of the keys/);
    expectError(await request('role:case-officer', await assertion({ key: amrKey })), 'invalid_client', /signature does not verify/);
  });

  it('refuses an assertion claiming another agency than its client speaks for', async () => {
    expectError(await request('role:officer', await assertion({ claims: { agency: 'suzhou-transport' } })), 'invalid_client', /claims another agency/);
  });

  it('refuses an access token presented as an assertion, and a critical header extension', async () => {
    const accessToken = await mintDevToken(loadConfig({}).dataDir, agencies, { agency: AGENCY, roles: ['case-officer'], subject: CLIENT });
    expectError(await request('role:case-officer', accessToken), 'invalid_client', /is an access token/);
    expectError(await request('role:case-officer', await assertion({ typ: 'at+jwt' })), 'invalid_client', /is an access token/);
    expectError(await request('role:case-officer', await assertion({ crit: 'urn:example:binding' })), 'invalid_client', /critical/);
  });

  it('refuses garbage in place of an assertion', async () => {
    for (const jwt of ['x', 'a.b', 'a.b.c.d', '....', 'eyJhbGciOiJFUzI1NiJ9.!!!.sig']) {
      expectError(await request('role:case-officer', jwt), 'invalid_client', /not a well-formed JWT/);
    }
  });
});

describe('scopes: roles and divisions within what the agency may claim', () => {
  it('refuses a role the agency may not claim, or none', async () => {
    expectError(await request('role:officer'), 'invalid_scope', /suzhou-psb may claim the roles checkpoint-officer, case-officer; not 'officer'/);
    expectError(await request('role:case-officer role:administrator'), 'invalid_scope', /not 'administrator'/);
    expectError(await request(''), 'invalid_scope', /name at least one role/);
    expectError(await request('division:3205'), 'invalid_scope', /name at least one role/);
    expectError(
      await post({ grant_type: 'client_credentials', client_assertion_type: JWT_BEARER_ASSERTION, client_assertion: await assertion() }),
      'invalid_scope',
      /name at least one role/,
    );
  });

  it('refuses malformed values, and a purpose (declared per request instead)', async () => {
    expectError(await request('role:case-officer division:32a'), 'invalid_scope', /code prefix of 2 to 6 digits/);
    expectError(await request('role:case-officer division:3205831'), 'invalid_scope', /code prefix of 2 to 6 digits/);
    expectError(await request('role:case-officer admin'), 'invalid_scope', /unknown scope value 'admin'/);
    expectError(await request('role:case-officer purpose:case-investigation'), 'invalid_scope', /declared per request/);
    expectError(await request(`role:case-officer ${'division:32 '.repeat(70)}`), 'invalid_scope', /at most 64 scope values/);
  });
});

describe('refused token requests in the audit', () => {
  it('are counted per source and reason, like refused bearer tokens, and the chain verifies', async () => {
    await t.hub.flushRefusalCounts();
    const before = Number((await owner.query<{ seq: string | null }>('select max(seq) as seq from audit_event')).rows[0].seq ?? 0);
    const jwt = await assertion();
    await request('role:case-officer', jwt);
    for (let i = 0; i < 3; i++) await request('role:case-officer', jwt);
    await request('role:officer');
    await t.hub.flushRefusalCounts();
    const { rows } = await owner.query<{ refusal: string; count: number }>(
      `select content->>'refusal' as refusal, (content->'refused'->>'count')::int as count from audit_event
        where seq > $1 and content->>'agency' = 'unauthenticated' order by 1`,
      [before],
    );
    expect(rows).toEqual([
      { refusal: 'UNAUTHENTICATED:token-endpoint:invalid_client:REPLAYED', count: 3 },
      { refusal: 'UNAUTHENTICATED:token-endpoint:invalid_scope', count: 1 },
    ]);
    const auditor = await mintDevToken(loadConfig({}).dataDir, agencies, { agency: 'suzhou-transport', roles: ['auditor'] });
    const verdict = await (
      await fetch(t.hub.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${auditor}`, 'x-purpose': 'audit' },
        body: JSON.stringify({ query: '{ verifyAuditChain(full: true) { intact } }' }),
      })
    ).json();
    expect(verdict).toEqual({ data: { verifyAuditChain: { intact: true } } });
  });

  it('issues no token when its issue cannot be audited (503 temporarily_unavailable)', async () => {
    await owner.query('alter table audit_event rename to audit_event_off');
    let reply: Reply;
    try {
      reply = await request('role:case-officer');
    } finally {
      await owner.query('alter table audit_event_off rename to audit_event');
    }
    expectError(reply, 'temporarily_unavailable', /could not be recorded in the audit/, 503);
    expect((await request('role:case-officer')).status).toBe(200);
  });
});
