import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { exportJWK, exportSPKI, generateKeyPair, importJWK, SignJWT, type JWK, type KeyLike } from 'jose';
import { startHub, type Hub } from '../../src/app';
import { AuthFailure, HUB_AUDIENCE, loadOrCreateDevTrust, mintDevToken, requestAccessToken, signClientAssertion } from '../../src/auth';
import { loadAgencies } from '../../src/access/agreements';
import { loadConfig } from '../../src/config';
import { openDatabase, type Database } from '../../src/db/database';
import { entityModelOf, HUB_DOMAINS } from '../../src/domains';
import { dropDatabase } from '../../src/db/ensure-database';
import { loadWorld } from '../../src/demo/load-world';
import { testLogger } from '../support/test-logger';
import { generateWorld } from '../../src/demo/world';
import { freshDatabaseUrl } from '../support/test-database';
import { startTestHub, type TestHub } from '../support/test-hub';

/**
 * Bearer-token attacks over real HTTP against a real hub. Every refusal is HTTP 401 with exactly
 * `{ errors: [{ message, extensions: { code: 'UNAUTHENTICATED', reason } }] }`, names the reason
 * in `WWW-Authenticate`, leaks no stack or SQL, and runs no read SQL: the request never reaches
 * Apollo.
 */

const AGENCY = 'suzhou-psb';
const ROLES = ['case-officer'];
/** The development issuer of an agency (src/auth/dev-trust.ts). */
const devIssuer = (agency: string) => `https://dev.xietong.local/${agency}`;

let t: TestHub;
let dataDir: string;
const agencies = loadAgencies(loadConfig({}).agreementsFile);
/** suzhou-psb's development key (private JWK, as its identity provider holds it). */
let psbJwk: JWK;
let psbKey: KeyLike;
/** Another agency's development key. */
let amrJwk: JWK;
let amrKey: KeyLike;
let checkpointCode: string;
let n = 0;

interface Mint {
  key?: KeyLike | Uint8Array;
  kid?: string;
  alg?: string;
  typ?: string;
  iss?: string;
  aud?: string;
  agency?: string;
  roles?: unknown;
  sub?: string;
  exp?: number;
  nbf?: number;
  iat?: number;
  jti?: string;
  omit?: string[];
  /** A critical header extension the token claims to need. */
  crit?: string;
}

/** A token as suzhou-psb's identity provider would mint it, with any part overridden for an attack. */
async function mint(o: Mint = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const claims: Record<string, unknown> = {
    agency: o.agency ?? AGENCY,
    roles: o.roles ?? ROLES,
    jti: o.jti ?? `authn-${process.pid}-${++n}-${Math.random()}`,
  };
  for (const k of o.omit ?? []) delete claims[k];
  const jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: o.alg ?? 'ES256', kid: o.kid ?? psbJwk.kid, typ: o.typ ?? 'at+jwt', ...(o.crit ? { crit: [o.crit], [o.crit]: true } : {}) })
    .setIssuer(o.iss ?? devIssuer(AGENCY))
    .setAudience(o.aud ?? HUB_AUDIENCE)
    .setSubject(o.sub ?? 'officer-0042')
    .setExpirationTime(o.exp ?? now + 300);
  if (!o.omit?.includes('iat')) jwt.setIssuedAt(o.iat ?? now);
  if (o.nbf !== undefined) jwt.setNotBefore(o.nbf);
  return jwt.sign(o.key ?? psbKey, o.crit ? { crit: { [o.crit]: true } } : undefined);
}

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

interface Reply {
  status: number;
  headers: Headers;
  raw: string;
  body: { data?: Record<string, unknown> | null; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };
}

/** One GraphQL POST with exactly the given authorization header (none when undefined). */
async function post(url: string, authorization: string | undefined, query: string, variables?: Record<string, unknown>): Promise<Reply> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...(authorization === undefined ? {} : { authorization }) },
    body: JSON.stringify({ query, variables }),
  });
  const raw = await response.text();
  return { status: response.status, headers: response.headers, raw, body: JSON.parse(raw) };
}

const CHECKPOINT = 'query Checkpoint($code: String!) { checkpoint(code: $code) { code name } }';

/** What must never be in a refusal: stack frames, file paths, SQL. */
function expectNothingLeaks(raw: string): void {
  expect(raw).not.toMatch(/\bat .+\.(js|ts):\d+/);
  expect(raw).not.toMatch(/\bat (async )?\S+ \(/);
  expect(raw).not.toMatch(/(\/[\w.-]+){2,}\.(js|ts)\b/);
  expect(raw).not.toMatch(/node_modules|stacktrace/i);
  expect(raw).not.toMatch(/\b(select|insert|update|delete)\b.+\b(from|into|set)\b/i);
  expect(raw).not.toMatch(/auth_token_use|relation "/);
}

/** Sends `authorization` and expects exactly the 401 for `reason`, with no read SQL run. */
async function expectRefused(url: string, hub: Hub, authorization: string | undefined, reason: AuthFailure): Promise<void> {
  const { result, statements } = await hub.db.counter.measure(() => post(url, authorization, CHECKPOINT, { code: checkpointCode }));
  expect({ status: result.status, body: result.body }).toEqual({
    status: 401,
    body: { errors: [{ message: `Authentication failed: ${reason}`, extensions: { code: 'UNAUTHENTICATED', reason } }] },
  });
  expect(result.headers.get('www-authenticate')).toBe(`Bearer realm="xietong", error="invalid_token", error_description="${reason}"`);
  expect(result.raw).not.toContain('"data"');
  expectNothingLeaks(result.raw);
  expect(statements).toBe(0);
}

beforeAll(async () => {
  t = await startTestHub('authn');
  dataDir = loadConfig({}).dataDir;
  // Make sure the development keys exist, then hold suzhou-psb's and suzhou-amr's private keys.
  await mintDevToken(dataDir, agencies, { agency: AGENCY, roles: ROLES });
  await mintDevToken(dataDir, agencies, { agency: 'suzhou-amr', roles: ['officer'] });
  psbJwk = JSON.parse(fs.readFileSync(path.join(dataDir, 'keys', 'dev', `${AGENCY}.jwk.json`), 'utf8')) as JWK;
  amrJwk = JSON.parse(fs.readFileSync(path.join(dataDir, 'keys', 'dev', 'suzhou-amr.jwk.json'), 'utf8')) as JWK;
  psbKey = (await importJWK(psbJwk, 'ES256')) as KeyLike;
  amrKey = (await importJWK(amrJwk, 'ES256')) as KeyLike;
  checkpointCode = t.world.checkpoints[0].code;
});
afterAll(async () => {
  await t?.close();
});

describe('bearer tokens over HTTP (development trust)', () => {
  it('accepts a well-formed token: the control every attack below departs from', async () => {
    const reply = await post(t.hub.graphqlUrl, `Bearer ${await mint()}`, CHECKPOINT, { code: checkpointCode });
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ data: { checkpoint: { code: checkpointCode, name: t.world.checkpoints[0].name } } });
    const me = await post(t.hub.graphqlUrl, `Bearer ${await mint({ sub: 'officer-7' })}`, '{ myAccess { agency subject roles } }');
    expect(me.body).toEqual({ data: { myAccess: { agency: AGENCY, subject: 'officer-7', roles: ROLES } } });
  });

  it('refuses a request without credentials (MISSING_TOKEN), and a non-Bearer one (MALFORMED_TOKEN)', async () => {
    await expectRefused(t.hub.graphqlUrl, t.hub, undefined, AuthFailure.MISSING_TOKEN);
    await expectRefused(t.hub.graphqlUrl, t.hub, 'Basic dXNlcjpwYXNz', AuthFailure.MALFORMED_TOKEN);
    await expectRefused(t.hub.graphqlUrl, t.hub, 'Bearer not.a.jwt!', AuthFailure.MALFORMED_TOKEN);
  });

  it('refuses alg "none" (unsigned) as ALGORITHM_NOT_ALLOWED', async () => {
    const now = Math.floor(Date.now() / 1000);
    const unsigned = `${b64({ alg: 'none', typ: 'at+jwt' })}.${b64({
      iss: devIssuer(AGENCY),
      aud: HUB_AUDIENCE,
      sub: 'officer-0042',
      agency: AGENCY,
      roles: ROLES,
      jti: `none-${Math.random()}`,
      iat: now,
      exp: now + 300,
    })}.`;
    await expectRefused(t.hub.graphqlUrl, t.hub, `Bearer ${unsigned}`, AuthFailure.ALGORITHM_NOT_ALLOWED);
  });

  it("refuses HS256 signed with the agency's public key as the shared secret (key confusion)", async () => {
    const trust = await loadOrCreateDevTrust(dataDir, agencies);
    const publicJwk = trust.issuers[devIssuer(AGENCY)].keys[0];
    expect(publicJwk).not.toHaveProperty('d');
    const pem = await exportSPKI((await importJWK(publicJwk, 'ES256')) as KeyLike);
    for (const secret of [pem, JSON.stringify(publicJwk)]) {
      const token = await mint({ alg: 'HS256', key: new TextEncoder().encode(secret) });
      await expectRefused(t.hub.graphqlUrl, t.hub, `Bearer ${token}`, AuthFailure.ALGORITHM_NOT_ALLOWED);
    }
  });

  it('refuses an issuer the hub does not trust (UNKNOWN_ISSUER), even with a valid signature', async () => {
    await expectRefused(t.hub.graphqlUrl, t.hub, `Bearer ${await mint({ iss: 'https://idp.evil.example' })}`, AuthFailure.UNKNOWN_ISSUER);
    await expectRefused(t.hub.graphqlUrl, t.hub, `Bearer ${await mint({ iss: '' })}`, AuthFailure.UNKNOWN_ISSUER);
  });

  it('refuses a token for another audience (WRONG_AUDIENCE)', async () => {
    await expectRefused(t.hub.graphqlUrl, t.hub, `Bearer ${await mint({ aud: 'urn:xietong:shanghai-hub' })}`, AuthFailure.WRONG_AUDIENCE);
  });

  it('refuses an expired token beyond the 30 s clock tolerance (EXPIRED)', async () => {
    const now = Math.floor(Date.now() / 1000);
    await expectRefused(t.hub.graphqlUrl, t.hub, `Bearer ${await mint({ iat: now - 900, exp: now - 120 })}`, AuthFailure.EXPIRED);
  });

  it('refuses a token not valid yet (NOT_YET_VALID)', async () => {
    const now = Math.floor(Date.now() / 1000);
    await expectRefused(t.hub.graphqlUrl, t.hub, `Bearer ${await mint({ nbf: now + 600, exp: now + 900 })}`, AuthFailure.NOT_YET_VALID);
  });

  it('says the true reason: an iat in the future is NOT_YET_VALID, a missing iat MISSING_CLAIM, a critical extension UNSUPPORTED_CRIT', async () => {
    const now = Math.floor(Date.now() / 1000);
    await expectRefused(t.hub.graphqlUrl, t.hub, `Bearer ${await mint({ iat: now + 600, exp: now + 900 })}`, AuthFailure.NOT_YET_VALID);
    await expectRefused(t.hub.graphqlUrl, t.hub, `Bearer ${await mint({ omit: ['iat'] })}`, AuthFailure.MISSING_CLAIM);
    await expectRefused(t.hub.graphqlUrl, t.hub, `Bearer ${await mint({ crit: 'urn:example:binding' })}`, AuthFailure.UNSUPPORTED_CRIT);
  });

  it('refuses an exp outside the date range with 401 MALFORMED_TOKEN, not 500', async () => {
    await expectRefused(t.hub.graphqlUrl, t.hub, `Bearer ${await mint({ exp: 1e300 })}`, AuthFailure.MALFORMED_TOKEN);
  });

  it('reads the Bearer scheme whatever its case (RFC 7235)', async () => {
    for (const scheme of ['bearer', 'BEARER']) {
      const reply = await post(t.hub.graphqlUrl, `${scheme} ${await mint()}`, CHECKPOINT, { code: checkpointCode });
      expect(reply.status).toBe(200);
    }
  });

  it('refuses a token issued more than 12 h ago even though it has not expired (TOO_OLD)', async () => {
    const now = Math.floor(Date.now() / 1000);
    await expectRefused(t.hub.graphqlUrl, t.hub, `Bearer ${await mint({ iat: now - 13 * 3600, exp: now + 600 })}`, AuthFailure.TOO_OLD);
  });

  it('accepts a token 11 h old: the age limit is 12 h, not less', async () => {
    const now = Math.floor(Date.now() / 1000);
    const reply = await post(t.hub.graphqlUrl, `Bearer ${await mint({ iat: now - 11 * 3600, exp: now + 600 })}`, CHECKPOINT, { code: checkpointCode });
    expect(reply.status).toBe(200);
  });

  it('refuses a token whose typ header is not at+jwt (WRONG_TYPE)', async () => {
    await expectRefused(t.hub.graphqlUrl, t.hub, `Bearer ${await mint({ typ: 'JWT' })}`, AuthFailure.WRONG_TYPE);
  });

  it("refuses an unknown key id (UNKNOWN_KEY), and another agency's key under this issuer", async () => {
    await expectRefused(t.hub.graphqlUrl, t.hub, `Bearer ${await mint({ kid: `${AGENCY}-dev-9` })}`, AuthFailure.UNKNOWN_KEY);
    // suzhou-amr's key and kid, claiming suzhou-psb's issuer: not one of that issuer's keys.
    await expectRefused(t.hub.graphqlUrl, t.hub, `Bearer ${await mint({ key: amrKey, kid: amrJwk.kid })}`, AuthFailure.UNKNOWN_KEY);
    // suzhou-amr's key presented under suzhou-psb's kid: the signature does not verify.
    await expectRefused(t.hub.graphqlUrl, t.hub, `Bearer ${await mint({ key: amrKey })}`, AuthFailure.BAD_SIGNATURE);
  });

  it('refuses a tampered signature (BAD_SIGNATURE)', async () => {
    const [h, p, s] = (await mint()).split('.');
    const flipped = `${s.slice(0, 10)}${s[10] === 'A' ? 'B' : 'A'}${s.slice(11)}`;
    await expectRefused(t.hub.graphqlUrl, t.hub, `Bearer ${h}.${p}.${flipped}`, AuthFailure.BAD_SIGNATURE);
  });

  it('refuses a tampered payload, e.g. escalated roles or divisions (BAD_SIGNATURE)', async () => {
    const [h, p, s] = (await mint()).split('.');
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
    await expectRefused(
      t.hub.graphqlUrl,
      t.hub,
      `Bearer ${h}.${b64({ ...payload, roles: ['case-officer', 'checkpoint-officer'] })}.${s}`,
      AuthFailure.BAD_SIGNATURE,
    );
    await expectRefused(t.hub.graphqlUrl, t.hub, `Bearer ${h}.${b64({ ...payload, exp: (payload.exp as number) + 86_400 })}.${s}`, AuthFailure.BAD_SIGNATURE);
  });

  it('accepts the same token on every request until it expires: access tokens are reused, not single-use', async () => {
    const token = await mint();
    for (let i = 0; i < 5; i++) {
      const reply = await post(t.hub.graphqlUrl, `Bearer ${token}`, CHECKPOINT, { code: checkpointCode });
      expect(reply.status).toBe(200);
      expect(reply.body.data).toEqual({ checkpoint: { code: checkpointCode, name: t.world.checkpoints[0].name } });
    }
    const replies = await Promise.all(Array.from({ length: 10 }, () => post(t.hub.graphqlUrl, `Bearer ${token}`, CHECKPOINT, { code: checkpointCode })));
    expect(replies.map((r) => r.status)).toEqual(Array(10).fill(200));
    // A token that expired is refused however often it was accepted before.
    const now = Math.floor(Date.now() / 1000);
    await expectRefused(t.hub.graphqlUrl, t.hub, `Bearer ${await mint({ iat: now - 900, exp: now - 120 })}`, AuthFailure.EXPIRED);
  });

  it('refuses a token claiming another agency than its issuer speaks for (AGENCY_MISMATCH)', async () => {
    await expectRefused(t.hub.graphqlUrl, t.hub, `Bearer ${await mint({ agency: 'suzhou-transport', roles: ['officer'] })}`, AuthFailure.AGENCY_MISMATCH);
  });

  it('refuses a token without the claims the hub relies on (MISSING_CLAIM)', async () => {
    await expectRefused(t.hub.graphqlUrl, t.hub, `Bearer ${await mint({ omit: ['jti'] })}`, AuthFailure.MISSING_CLAIM);
    await expectRefused(t.hub.graphqlUrl, t.hub, `Bearer ${await mint({ omit: ['agency'] })}`, AuthFailure.MISSING_CLAIM);
  });
});

describe('a trust configuration file with a rotated key', () => {
  const ISSUER = 'https://idp.suzhou-psb.example';
  const AUDIENCE = 'urn:xietong:rotation-test-hub';
  /** An issuer the file lets authenticate at the token endpoint only: its own access tokens are refused. */
  const AMR_ISSUER = 'https://idp.suzhou-amr.example';
  let dir: string;
  let databaseUrl: string;
  let db: Database;
  let hub: Hub;
  let oldKey: { privateKey: KeyLike; jwk: JWK };
  let newKey: typeof oldKey;
  let retiredKey: typeof oldKey;
  let amrFileKey: typeof oldKey;

  async function keyPair(alg: 'ES256' | 'EdDSA', kid: string) {
    const { privateKey, publicKey } = await generateKeyPair(alg, alg === 'EdDSA' ? { crv: 'Ed25519' } : undefined);
    return { privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg } };
  }

  const rotationToken = (key: typeof oldKey, o: Mint = {}) =>
    mint({ key: key.privateKey, kid: key.jwk.kid, alg: key.jwk.alg, iss: ISSUER, aud: AUDIENCE, ...o });

  beforeAll(async () => {
    oldKey = await keyPair('ES256', 'psb-2025-1');
    newKey = await keyPair('EdDSA', 'psb-2026-1');
    retiredKey = await keyPair('ES256', 'psb-2024-1');
    amrFileKey = await keyPair('ES256', 'amr-2026-1');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xietong-trust-'));
    const trustFile = path.join(dir, 'trust.json');
    fs.writeFileSync(
      trustFile,
      JSON.stringify({
        audience: AUDIENCE,
        issuers: {
          [ISSUER]: { agency: AGENCY, keys: [oldKey.jwk, newKey.jwk], directAccessTokens: true },
          [AMR_ISSUER]: { agency: 'suzhou-amr', keys: [amrFileKey.jwk] },
        },
      }),
    );
    databaseUrl = freshDatabaseUrl('authn_rotation');
    const config = loadConfig({ DATABASE_URL: databaseUrl, PORT: '0', LOG_LEVEL: 'error', TRUST_CONFIG_FILE: trustFile });
    expect(config.trustConfigFile).toBe(trustFile);
    db = await openDatabase(config, entityModelOf(HUB_DOMAINS));
    await loadWorld(db.pool, generateWorld({ seed: 7, size: 0.01 }));
    hub = await startHub(config, testLogger().logger, db);
  });
  afterAll(async () => {
    await hub?.close();
    await db?.close();
    if (databaseUrl) await dropDatabase(databaseUrl);
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("accepts tokens signed with either of the issuer's keys (old ES256 and rotated-in EdDSA)", async () => {
    for (const [key, sub] of [
      [oldKey, 'signed-with-old'],
      [newKey, 'signed-with-new'],
    ] as const) {
      const reply = await post(
        hub.graphqlUrl,
        `Bearer ${await rotationToken(key, { sub })}`,
        `{ myAccess { agency subject roles } checkpoint(code: "${checkpointCode}") { code } }`,
      );
      expect(reply.status).toBe(200);
      expect(reply.body).toEqual({ data: { myAccess: { agency: AGENCY, subject: sub, roles: ROLES }, checkpoint: { code: checkpointCode } } });
    }
  });

  it("refuses a key the file no longer lists (UNKNOWN_KEY) and the other key's kid on it (BAD_SIGNATURE)", async () => {
    await expectRefused(hub.graphqlUrl, hub, `Bearer ${await rotationToken(retiredKey)}`, AuthFailure.UNKNOWN_KEY);
    await expectRefused(hub.graphqlUrl, hub, `Bearer ${await rotationToken(retiredKey, { kid: oldKey.jwk.kid })}`, AuthFailure.BAD_SIGNATURE);
  });

  it('believes only the file: development tokens are UNKNOWN_ISSUER there', async () => {
    await expectRefused(hub.graphqlUrl, hub, `Bearer ${await mintDevToken(dataDir, agencies, { agency: AGENCY, roles: ROLES })}`, AuthFailure.UNKNOWN_ISSUER);
  });

  it("uses the file's audience: a token for the default hub audience is WRONG_AUDIENCE", async () => {
    await expectRefused(hub.graphqlUrl, hub, `Bearer ${await rotationToken(newKey, { aud: HUB_AUDIENCE })}`, AuthFailure.WRONG_AUDIENCE);
  });

  it('still refuses the issuer claiming another agency (AGENCY_MISMATCH), and accepts a token again', async () => {
    await expectRefused(
      hub.graphqlUrl,
      hub,
      `Bearer ${await rotationToken(newKey, { agency: 'suzhou-transport', roles: ['officer'] })}`,
      AuthFailure.AGENCY_MISMATCH,
    );
    const token = await rotationToken(newKey);
    for (let i = 0; i < 3; i++) expect((await post(hub.graphqlUrl, `Bearer ${token}`, '{ myAccess { agency } }')).status).toBe(200);
  });

  it("refuses the own tokens of an issuer not marked directAccessTokens; its key gets it the hub's token instead", async () => {
    const direct = await mint({
      key: amrFileKey.privateKey,
      kid: amrFileKey.jwk.kid,
      iss: AMR_ISSUER,
      aud: AUDIENCE,
      agency: 'suzhou-amr',
      roles: ['officer'],
    });
    await expectRefused(hub.graphqlUrl, hub, `Bearer ${direct}`, AuthFailure.DIRECT_TOKEN_NOT_ALLOWED);
    const assertion = signClientAssertion(await exportJWK(amrFileKey.privateKey), AMR_ISSUER, `${hub.url}/oauth/token`);
    const { access_token: token } = await requestAccessToken(`${hub.url}/oauth/token`, assertion, 'role:officer');
    const me = await post(hub.graphqlUrl, `Bearer ${token}`, '{ myAccess { agency subject roles } }');
    expect(me.body).toEqual({ data: { myAccess: { agency: 'suzhou-amr', subject: AMR_ISSUER, roles: ['officer'] } } });
  });
});
