import { createPrivateKey, randomUUID, sign, type JsonWebKey } from 'node:crypto';

/** A private JWK as node:crypto or jose hand it out. */
export interface PrivateJwk {
  kty?: string;
  crv?: string;
  d?: string;
  alg?: string;
  kid?: string;
}

const base64url = (value: Buffer | string) => Buffer.from(value).toString('base64url');

/** The signing algorithm of a private JWK the hub accepts (its `alg`, or the one its curve implies). */
function algorithmOf(jwk: PrivateJwk): 'ES256' | 'EdDSA' {
  const alg = jwk.alg ?? (jwk.kty === 'EC' && jwk.crv === 'P-256' ? 'ES256' : jwk.kty === 'OKP' && jwk.crv === 'Ed25519' ? 'EdDSA' : undefined);
  if (alg !== 'ES256' && alg !== 'EdDSA') throw new Error(`the key must be an ES256 (EC P-256) or EdDSA (Ed25519) private JWK, not ${alg ?? jwk.kty}`);
  if (!jwk.d) throw new Error('the key is a public JWK; a client assertion is signed with the private one');
  return alg;
}

/**
 * A client assertion (RFC 7523 §2.2, private_key_jwt) for one token request: `iss` and `sub` the
 * client id, `aud` the hub (its token endpoint URL, issuer or audience name), a fresh `jti`,
 * valid for `lifetimeSeconds` (the hub accepts at most 300). A compact JWS made with node:crypto
 * (RFC 7515 §7.1; ES256 signatures as R‖S, RFC 7518 §3.4) rather than jose: loading jose costs
 * `xietong token` more than everything else it does together.
 */
export function signClientAssertion(privateJwk: PrivateJwk, clientId: string, audience: string, lifetimeSeconds = 60): string {
  const alg = algorithmOf(privateJwk);
  const now = Math.floor(Date.now() / 1000);
  const header = { alg, typ: 'JWT', ...(privateJwk.kid ? { kid: privateJwk.kid } : {}) };
  const claims = { iss: clientId, sub: clientId, aud: audience, jti: randomUUID(), iat: now, exp: now + lifetimeSeconds };
  const input = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
  const key = createPrivateKey({ key: privateJwk as JsonWebKey, format: 'jwk' });
  const signature = alg === 'ES256' ? sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' }) : sign(null, Buffer.from(input), key);
  return `${input}.${base64url(signature)}`;
}
