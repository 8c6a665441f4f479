import { createHash, createPrivateKey, createPublicKey, hkdfSync, type KeyObject } from 'node:crypto';
import type { JWK } from 'jose';

/** The key the hub signs its access tokens with, and its public JWK as `/.well-known/jwks.json` publishes it. */
export interface HubTokenKey {
  kid: string;
  privateKey: KeyObject;
  publicJwk: JWK;
}

/** The algorithm of the hub's access tokens (Ed25519). */
export const HUB_TOKEN_ALGORITHM = 'EdDSA';

/** DER of an Ed25519 PKCS#8 private key up to its 32-byte seed (RFC 8410 §7). */
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/**
 * The access-token signing key, derived (HKDF-SHA256) from the hub's own key rather than kept
 * in a second file: every instance that shares the hub key (as they must already, for cursors
 * and audit heads) issues and accepts the same tokens, and nothing new has to be distributed.
 * Derived rather than the same key, so that no signature made for one purpose (an audit head)
 * can be presented as one made for the other, and the two public keys stay apart.
 */
export function hubTokenKeyOf(hubPrivateKey: KeyObject): HubTokenKey {
  const secret = hubPrivateKey.export({ type: 'pkcs8', format: 'der' });
  const seed = Buffer.from(hkdfSync('sha256', secret, 'xietong', 'access-token-signing-key-v1', 32));
  const privateKey = createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  const { kty, crv, x } = createPublicKey(privateKey).export({ format: 'jwk' });
  // The key's RFC 7638 thumbprint: the required members in lexicographic order, hashed.
  const kid = `hub-${createHash('sha256').update(JSON.stringify({ crv, kty, x })).digest('base64url')}`;
  return { kid, privateKey, publicJwk: { kty: kty!, crv, x, kid, alg: HUB_TOKEN_ALGORITHM, use: 'sig' } };
}
