import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type JWK, type KeyLike } from 'jose';
import { AuthenticationError, AuthFailure, TokenUseRegistry, TokenVerifier, type TrustConfig } from '../../src/auth';
import { loadConfig } from '../../src/config';
import { openDatabase, type Database } from '../../src/db/database';
import { entityModelOf, HUB_DOMAINS } from '../../src/domains';
import { dropDatabase } from '../../src/db/ensure-database';
import { freshDatabaseUrl } from '../support/test-database';

const AUDIENCE = 'urn:xietong:suzhou-hub';
const PSB = 'https://idp.suzhou-psb.example';

let db: Database;
let verifier: TokenVerifier;
let psbKey: { privateKey: KeyLike; publicKey: KeyLike; jwk: JWK };
let rotatedKey: typeof psbKey;
let amrKey: typeof psbKey;
let n = 0;

async function keyPair(alg: 'ES256' | 'EdDSA', kid: string) {
  const { privateKey, publicKey } = await generateKeyPair(alg, alg === 'EdDSA' ? { crv: 'Ed25519' } : undefined);
  return { privateKey, publicKey, jwk: { ...(await exportJWK(publicKey)), kid, alg } };
}

interface Mint {
  key?: KeyLike; kid?: string; alg?: string; typ?: string; iss?: string; aud?: string; agency?: string; roles?: unknown;
  exp?: number; nbf?: number; iat?: number; jti?: string; omit?: string[];
  /** A critical header extension the token claims to need. */
  crit?: string;
}

/** A token as an agency would mint it, with any part overridden for an attack. */
async function mint(o: Mint = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const claims: Record<string, unknown> = {
    agency: o.agency ?? 'suzhou-psb', roles: o.roles ?? ['case-officer'], jti: o.jti ?? `t-${++n}-${Math.random()}`,
  };
  for (const k of o.omit ?? []) delete claims[k];
  const jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: o.alg ?? 'ES256', kid: o.kid ?? 'psb-1', typ: o.typ ?? 'at+jwt', ...(o.crit ? { crit: [o.crit], [o.crit]: true } : {}) })
    .setIssuer(o.iss ?? PSB).setAudience(o.aud ?? AUDIENCE).setSubject('officer-0042')
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

beforeAll(async () => {
  db = await openDatabase(loadConfig({ DATABASE_URL: freshDatabaseUrl('auth') }), entityModelOf(HUB_DOMAINS));
  psbKey = await keyPair('ES256', 'psb-1');
  rotatedKey = await keyPair('EdDSA', 'psb-2');
  amrKey = await keyPair('ES256', 'amr-1');
  const trust: TrustConfig = {
    audience: AUDIENCE,
    issuers: {
      [PSB]: { agency: 'suzhou-psb', keys: [psbKey.jwk, rotatedKey.jwk] },
      'https://idp.suzhou-amr.example': { agency: 'suzhou-amr', keys: [amrKey.jwk] },
    },
    clockToleranceSeconds: 30,
    maxTokenAgeSeconds: 3600,
  };
  verifier = new TokenVerifier(trust, new TokenUseRegistry(db.pool));
});
afterAll(async () => {
  await db?.close();
  await dropDatabase(db.url);
});

describe('bearer token verification', () => {
  it('accepts a valid token and names the caller', async () => {
    expect(await verifier.verify(`Bearer ${await mint()}`)).toEqual({ agency: 'suzhou-psb', subject: 'officer-0042', roles: ['case-officer'], divisions: [] });
  });

  it('accepts a token signed with the rotated-in key (EdDSA)', async () => {
    expect((await verifier.verify(`Bearer ${await mint({ key: rotatedKey.privateKey, kid: 'psb-2', alg: 'EdDSA' })}`)).agency).toBe('suzhou-psb');
  });

  it('refuses a replayed token', async () => {
    const token = await mint();
    await verifier.verify(`Bearer ${token}`);
    expect(await refusal(`Bearer ${token}`)).toBe(AuthFailure.REPLAYED);
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
      .setProtectedHeader({ alg: 'HS256', kid: 'psb-1', typ: 'at+jwt' }).setIssuer(PSB).setAudience(AUDIENCE)
      .setSubject('x').setIssuedAt().setExpirationTime('5m').sign(secret);
    expect(await refusal(`Bearer ${token}`)).toBe(AuthFailure.ALGORITHM_NOT_ALLOWED);
  });

  it('refuses an unknown issuer, another issuer\'s key, and an agency the issuer does not speak for', async () => {
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
