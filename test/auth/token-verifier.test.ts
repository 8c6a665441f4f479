import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type JWK, type KeyLike } from 'jose';
import { generateKeyPairSync } from 'node:crypto';
import { AuthenticationError, AuthFailure, revokeTokens, TokenRevocations, TokenVerifier, type RevocationTarget, type TrustConfig } from '../../src/auth';
import { AuditLog } from '../../src/audit/audit-log';
import { tokensRevokedEvent } from '../../src/audit/token-events';
import { HubTokenSigner } from '../../src/auth/hub-access-tokens';
import { hubTokenKeyOf } from '../../src/auth/hub-token-key';
import { loadConfig } from '../../src/config';
import { openDatabase, type Database } from '../../src/db/database';
import { entityModelOf, HUB_DOMAINS } from '../../src/domains';
import { dropDatabase } from '../../src/db/ensure-database';
import { freshDatabaseUrl } from '../support/test-database';
import { loadAgencies } from '../../src/access/agreements';

const agencies = loadAgencies(loadConfig({}).agreementsFile);

const AUDIENCE = 'urn:xietong:suzhou-hub';
const PSB = 'https://idp.suzhou-psb.example';
/** An issuer whose keys only authenticate its client assertions: its own access tokens are not accepted. */
const AMR = 'https://idp.suzhou-amr.example';
const HUB = 'https://hub.example';

let db: Database;
let verifier: TokenVerifier;
let revocations: TokenRevocations;
let psbKey: { privateKey: KeyLike; publicKey: KeyLike; jwk: JWK };
let rotatedKey: typeof psbKey;
let amrKey: typeof psbKey;
const hubKey = hubTokenKeyOf(generateKeyPairSync('ed25519').privateKey);
let n = 0;

async function keyPair(alg: 'ES256' | 'EdDSA', kid: string) {
  const { privateKey, publicKey } = await generateKeyPair(alg, alg === 'EdDSA' ? { crv: 'Ed25519' } : undefined);
  return { privateKey, publicKey, jwk: { ...(await exportJWK(publicKey)), kid, alg } };
}

interface Mint {
  key?: KeyLike;
  kid?: string;
  alg?: string;
  typ?: string;
  iss?: string;
  aud?: string;
  agency?: string;
  roles?: unknown;
  exp?: number;
  nbf?: number;
  iat?: number;
  jti?: string;
  omit?: string[];
  /** A critical header extension the token claims to need. */
  crit?: string;
}

/** A token as an agency would mint it, with any part overridden for an attack. */
async function mint(o: Mint = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const claims: Record<string, unknown> = {
    agency: o.agency ?? 'suzhou-psb',
    roles: o.roles ?? ['case-officer'],
    jti: o.jti ?? `t-${++n}-${Math.random()}`,
  };
  for (const k of o.omit ?? []) delete claims[k];
  const jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: o.alg ?? 'ES256', kid: o.kid ?? 'psb-1', typ: o.typ ?? 'at+jwt', ...(o.crit ? { crit: [o.crit], [o.crit]: true } : {}) })
    .setIssuer(o.iss ?? PSB)
    .setAudience(o.aud ?? AUDIENCE)
    .setSubject('officer-0042')
    .setExpirationTime(o.exp ?? now + 300);
  if (!o.omit?.includes('iat')) jwt.setIssuedAt(o.iat ?? now);
  if (o.nbf !== undefined) jwt.setNotBefore(o.nbf);
  return jwt.sign(o.key ?? psbKey.privateKey, o.crit ? { crit: { [o.crit]: true } } : undefined);
}

async function refusal(header: string | undefined): Promise<AuthFailure> {
  try {
    await verifier.verify(header);
  } catch (error) {
    if (error instanceof AuthenticationError) return error.reason;
    throw error;
  }
  throw new Error('token was accepted');
}

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const payloadOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as Record<string, unknown>;

/** The hub's own token for suzhou-psb's client (`PSB`), as the token endpoint issues it. */
const hubToken = async (client = PSB, agency = 'suzhou-psb', divisions: string[] = []) =>
  (await new HubTokenSigner(hubKey, AUDIENCE, 600).issue(HUB, { clientId: client, agency }, { roles: ['case-officer'], divisions })).accessToken;

beforeAll(async () => {
  db = await openDatabase(loadConfig({ DATABASE_URL: freshDatabaseUrl('auth') }), entityModelOf(HUB_DOMAINS));
  psbKey = await keyPair('ES256', 'psb-1');
  rotatedKey = await keyPair('EdDSA', 'psb-2');
  amrKey = await keyPair('ES256', 'amr-1');
  const trust: TrustConfig = {
    audience: AUDIENCE,
    issuers: {
      [PSB]: { agency: 'suzhou-psb', keys: [psbKey.jwk, rotatedKey.jwk], directAccessTokens: true },
      [AMR]: { agency: 'suzhou-amr', keys: [amrKey.jwk] },
    },
    clockToleranceSeconds: 30,
    maxTokenAgeSeconds: 3600,
  };
  revocations = new TokenRevocations(db.pool, {
    pollMs: 50,
    retentionSeconds: 3600,
    onError: (error) => {
      throw error;
    },
  });
  await revocations.start();
  verifier = new TokenVerifier(trust, { hub: { issuer: () => HUB, publicJwk: hubKey.publicJwk }, revocations });
});
afterAll(async () => {
  await revocations?.close();
  await db?.close();
  await dropDatabase(db.url);
});

describe('bearer token verification: agency tokens presented directly', () => {
  it('accepts a valid token and names the caller and the token id', async () => {
    const token = await mint({ jti: 'the-token' });
    expect(await verifier.verify(`Bearer ${token}`)).toEqual({
      agency: 'suzhou-psb',
      subject: 'officer-0042',
      roles: ['case-officer'],
      divisions: [],
      tokenId: 'the-token',
      expiresAt: expect.any(Date),
      issuedAt: expect.any(Date),
    });
  });

  it('accepts a token signed with the rotated-in key (EdDSA)', async () => {
    expect((await verifier.verify(`Bearer ${await mint({ key: rotatedKey.privateKey, kid: 'psb-2', alg: 'EdDSA' })}`)).agency).toBe('suzhou-psb');
  });

  it('accepts the same token again and again until it expires: no one-use rule', async () => {
    const token = await mint();
    for (let i = 0; i < 5; i++) await expect(verifier.verify(`Bearer ${token}`)).resolves.toMatchObject({ agency: 'suzhou-psb' });
  });

  it('refuses an issuer the trust configuration does not allow to present its own tokens (DIRECT_TOKEN_NOT_ALLOWED)', async () => {
    expect(await refusal(`Bearer ${await mint({ iss: AMR, key: amrKey.privateKey, kid: 'amr-1', agency: 'suzhou-amr', roles: ['officer'] })}`)).toBe(
      AuthFailure.DIRECT_TOKEN_NOT_ALLOWED,
    );
  });

  it('refuses missing and malformed credentials', async () => {
    expect(await refusal(undefined)).toBe(AuthFailure.MISSING_TOKEN);
    expect(await refusal('Basic dXNlcjpwYXNz')).toBe(AuthFailure.MALFORMED_TOKEN);
    expect(await refusal('Bearer not.a.jwt!')).toBe(AuthFailure.MALFORMED_TOKEN);
    expect(await refusal('Bearer not.a.token')).toBe(AuthFailure.MALFORMED_TOKEN);
  });

  it('refuses alg "none"', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = `${b64({ alg: 'none', typ: 'at+jwt' })}.${b64({ iss: PSB, aud: AUDIENCE, sub: 'x', agency: 'suzhou-psb', roles: [], jti: 'none-1', iat: now, exp: now + 60 })}.`;
    expect(await refusal(`Bearer ${token}`)).toBe(AuthFailure.ALGORITHM_NOT_ALLOWED);
  });

  it('refuses HS256 signed with the public key as the secret', async () => {
    const secret = new TextEncoder().encode(await exportSPKI(psbKey.publicKey));
    const token = await new SignJWT({ agency: 'suzhou-psb', roles: ['case-officer'], jti: 'hs-1' })
      .setProtectedHeader({ alg: 'HS256', kid: 'psb-1', typ: 'at+jwt' })
      .setIssuer(PSB)
      .setAudience(AUDIENCE)
      .setSubject('x')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(secret);
    expect(await refusal(`Bearer ${token}`)).toBe(AuthFailure.ALGORITHM_NOT_ALLOWED);
  });

  it("refuses an unknown issuer, another issuer's key, and an agency the issuer does not speak for", async () => {
    expect(await refusal(`Bearer ${await mint({ iss: 'https://idp.evil.example' })}`)).toBe(AuthFailure.UNKNOWN_ISSUER);
    expect(await refusal(`Bearer ${await mint({ key: amrKey.privateKey, kid: 'amr-1' })}`)).toBe(AuthFailure.UNKNOWN_KEY);
    expect(await refusal(`Bearer ${await mint({ agency: 'suzhou-transport' })}`)).toBe(AuthFailure.AGENCY_MISMATCH);
  });

  it('refuses the wrong audience and the wrong token type', async () => {
    expect(await refusal(`Bearer ${await mint({ aud: 'urn:xietong:shanghai-hub' })}`)).toBe(AuthFailure.WRONG_AUDIENCE);
    expect(await refusal(`Bearer ${await mint({ typ: 'JWT' })}`)).toBe(AuthFailure.WRONG_TYPE);
  });

  it('refuses expired, not-yet-valid and too old tokens, within the clock tolerance', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect(await refusal(`Bearer ${await mint({ iat: now - 600, exp: now - 120 })}`)).toBe(AuthFailure.EXPIRED);
    expect(await refusal(`Bearer ${await mint({ nbf: now + 600 })}`)).toBe(AuthFailure.NOT_YET_VALID);
    expect(await refusal(`Bearer ${await mint({ iat: now - 7200, exp: now + 600 })}`)).toBe(AuthFailure.TOO_OLD);
    // 10 s of skew is tolerated.
    await expect(verifier.verify(`Bearer ${await mint({ iat: now - 600, exp: now - 10 })}`)).resolves.toMatchObject({ agency: 'suzhou-psb' });
  });

  it('refuses an unknown key id and a tampered signature or payload', async () => {
    expect(await refusal(`Bearer ${await mint({ kid: 'psb-9' })}`)).toBe(AuthFailure.UNKNOWN_KEY);
    const [h, p, s] = (await mint()).split('.');
    const flipped = `${s.slice(0, 10)}${s[10] === 'A' ? 'B' : 'A'}${s.slice(11)}`;
    expect(await refusal(`Bearer ${h}.${p}.${flipped}`)).toBe(AuthFailure.BAD_SIGNATURE);
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString());
    expect(await refusal(`Bearer ${h}.${b64({ ...payload, roles: ['administrator'] })}.${s}`)).toBe(AuthFailure.BAD_SIGNATURE);
  });

  it('names the true reason: an iat in the future is NOT_YET_VALID, not TOO_OLD', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect(await refusal(`Bearer ${await mint({ iat: now + 600, exp: now + 900 })}`)).toBe(AuthFailure.NOT_YET_VALID);
    // Within the clock tolerance it is accepted.
    await expect(verifier.verify(`Bearer ${await mint({ iat: now + 10 })}`)).resolves.toMatchObject({ agency: 'suzhou-psb' });
  });

  it('names the true reason: a missing iat is MISSING_CLAIM, an unknown critical header UNSUPPORTED_CRIT', async () => {
    expect(await refusal(`Bearer ${await mint({ omit: ['iat'] })}`)).toBe(AuthFailure.MISSING_CLAIM);
    expect(await refusal(`Bearer ${await mint({ crit: 'urn:example:binding' })}`)).toBe(AuthFailure.UNSUPPORTED_CRIT);
  });

  it('refuses an exp no date can hold as MALFORMED_TOKEN, not an internal error', async () => {
    expect(await refusal(`Bearer ${await mint({ exp: 1e300 })}`)).toBe(AuthFailure.MALFORMED_TOKEN);
    expect(await refusal(`Bearer ${await mint({ exp: 8.64e12 })}`)).toBe(AuthFailure.MALFORMED_TOKEN);
  });

  it('reads the Bearer scheme whatever its case (RFC 7235)', async () => {
    for (const scheme of ['bearer', 'BEARER', 'bEaReR']) {
      await expect(verifier.verify(`${scheme} ${await mint()}`)).resolves.toMatchObject({ agency: 'suzhou-psb' });
    }
    expect(await refusal(`Bearerx ${await mint()}`)).toBe(AuthFailure.MALFORMED_TOKEN);
  });

  it('refuses tokens without the claims the hub relies on', async () => {
    expect(await refusal(`Bearer ${await mint({ omit: ['jti'] })}`)).toBe(AuthFailure.MISSING_CLAIM);
    expect(await refusal(`Bearer ${await mint({ omit: ['roles'] })}`)).toBe(AuthFailure.MISSING_CLAIM);
    expect(await refusal(`Bearer ${await mint({ roles: 'administrator' })}`)).toBe(AuthFailure.MALFORMED_TOKEN);
  });
});

describe("bearer token verification: the hub's own access tokens", () => {
  it('accepts them, reused, with the client as subject and the divisions granted', async () => {
    const token = await hubToken(PSB, 'suzhou-psb', ['3205']);
    const { jti } = payloadOf(token);
    for (let i = 0; i < 3; i++) {
      expect(await verifier.verify(`Bearer ${token}`)).toEqual({
        agency: 'suzhou-psb',
        subject: PSB,
        roles: ['case-officer'],
        divisions: ['3205'],
        tokenId: jti,
        expiresAt: expect.any(Date),
        issuedAt: expect.any(Date),
      });
    }
  });

  it("refuses one signed by anything but the hub's key, or naming another hub", async () => {
    const now = Math.floor(Date.now() / 1000);
    const claims = { client_id: PSB, agency: 'suzhou-psb', roles: ['case-officer'], jti: `forged-${Math.random()}` };
    // An agency's key signing as the hub: not the hub's key set.
    const forged = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'EdDSA', kid: hubKey.kid, typ: 'at+jwt' })
      .setIssuer(HUB)
      .setAudience(AUDIENCE)
      .setSubject(PSB)
      .setIssuedAt(now)
      .setExpirationTime(now + 300)
      .sign(rotatedKey.privateKey);
    expect(await refusal(`Bearer ${forged}`)).toBe(AuthFailure.BAD_SIGNATURE);
    // ES256 under the hub's issuer: only EdDSA is the hub's algorithm.
    const es256 = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', kid: hubKey.kid, typ: 'at+jwt' })
      .setIssuer(HUB)
      .setAudience(AUDIENCE)
      .setSubject(PSB)
      .setIssuedAt(now)
      .setExpirationTime(now + 300)
      .sign(psbKey.privateKey);
    expect(await refusal(`Bearer ${es256}`)).toBe(AuthFailure.ALGORITHM_NOT_ALLOWED);
    const elsewhere = await new HubTokenSigner(hubKey, AUDIENCE, 600).issue(
      'https://other-hub.example',
      { clientId: PSB, agency: 'suzhou-psb' },
      { roles: ['case-officer'], divisions: [] },
    );
    expect(await refusal(`Bearer ${elsewhere.accessToken}`)).toBe(AuthFailure.UNKNOWN_ISSUER);
  });

  it('refuses an expired one, and one whose client the trust configuration no longer lists', async () => {
    const expired = await new HubTokenSigner(hubKey, AUDIENCE, -120).issue(
      HUB,
      { clientId: PSB, agency: 'suzhou-psb' },
      { roles: ['case-officer'], divisions: [] },
    );
    expect(await refusal(`Bearer ${expired.accessToken}`)).toBe(AuthFailure.EXPIRED);
    expect(await refusal(`Bearer ${await hubToken('https://idp.gone.example')}`)).toBe(AuthFailure.REVOKED);
  });
});

describe('revocation', () => {
  const by = { agency: 'hub-operator', subject: 'test', roles: ['operator'] };
  /** Revokes as the operator's command does: the revocation and its audit event in one transaction. */
  const revoke = (target: RevocationTarget) =>
    revokeTokens(db.pool, agencies, target, 'hub-operator/test', (client) =>
      new AuditLog(db.pool).appendWithin(client, tokensRevokedEvent({ by, target, durationMs: 0 })).then(() => undefined),
    );

  it('refuses a token revoked by jti, after the next poll, and leaves others alone', async () => {
    const token = await hubToken();
    const other = await hubToken();
    await verifier.verify(`Bearer ${token}`);
    await revoke({ jti: payloadOf(token).jti as string });
    await revocations.poll();
    expect(await refusal(`Bearer ${token}`)).toBe(AuthFailure.REVOKED);
    await expect(verifier.verify(`Bearer ${other}`)).resolves.toMatchObject({ agency: 'suzhou-psb' });
  });

  it("refuses every token an agency held when it was revoked, direct or the hub's, and accepts those issued later", async () => {
    const hubs = await hubToken();
    const direct = await mint();
    await revoke({ agency: 'suzhou-psb' });
    await revocations.poll();
    expect(await refusal(`Bearer ${hubs}`)).toBe(AuthFailure.REVOKED);
    expect(await refusal(`Bearer ${direct}`)).toBe(AuthFailure.REVOKED);
    // `iat` has whole seconds: a token issued in the revocation's second counts as held then.
    await new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000) + 10));
    await expect(verifier.verify(`Bearer ${await hubToken()}`)).resolves.toMatchObject({ agency: 'suzhou-psb' });
    await expect(verifier.verify(`Bearer ${await mint()}`)).resolves.toMatchObject({ agency: 'suzhou-psb' });
  });

  it('refuses to revoke nothing, or an agency it does not know', async () => {
    await expect(revoke({ agency: 'moon-police' })).rejects.toThrow(/agency.*must be one of/);
    await expect(revoke({ jti: '' })).rejects.toThrow(/jti.*printable/);
  });

  it('audits each revocation in the chain, which still verifies', async () => {
    const { rows } = await db.pool.query<{ content: { operationName: string; variables: Record<string, unknown> } }>(
      "select content from audit_event where content->>'operationName' = 'revokeAccessTokens' order by seq",
    );
    expect(rows.map((r) => Object.keys(r.content.variables)[0])).toEqual(['jti', 'agency']);
    expect(await new AuditLog(db.pool).verify(new Map())).toMatchObject({ intact: true });
  });
});
