import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import type { AuthenticatedClient } from './client-assertion';
import { HUB_TOKEN_ALGORITHM, type HubTokenKey } from './hub-token-key';
import { formatScope, type TokenScope } from './token-scope';
import { ACCESS_TOKEN_TYPE } from './trust-config';

/** An access token the hub issued, with what the token endpoint answers about it. */
export interface IssuedToken {
  accessToken: string;
  jti: string;
  expiresIn: number;
  scope: string;
}

/**
 * Signs the hub's access tokens (RFC 9068): `typ: at+jwt`, the hub as issuer, the hub's audience,
 * the client as `sub` and `client_id`, a fresh `jti` (recorded in the audit of each request, never
 * checked for replay: the token is reused until it expires), the granted `scope`, and the claims
 * the hub reads (`agency`, `roles`, `divisions`).
 */
export class HubTokenSigner {
  constructor(
    private readonly key: HubTokenKey,
    private readonly audience: string,
    private readonly ttlSeconds: number,
  ) {}

  async issue(issuer: string, client: AuthenticatedClient, scope: TokenScope): Promise<IssuedToken> {
    const jti = randomUUID();
    const granted = formatScope(scope);
    const accessToken = await new SignJWT({
      client_id: client.clientId,
      scope: granted,
      agency: client.agency,
      roles: scope.roles,
      ...(scope.divisions.length ? { divisions: scope.divisions } : {}),
    })
      .setProtectedHeader({ alg: HUB_TOKEN_ALGORITHM, kid: this.key.kid, typ: ACCESS_TOKEN_TYPE })
      .setIssuer(issuer)
      .setAudience(this.audience)
      .setSubject(client.clientId)
      .setJti(jti)
      .setIssuedAt()
      .setExpirationTime(`${this.ttlSeconds}s`)
      .sign(this.key.privateKey);
    return { accessToken, jti, expiresIn: this.ttlSeconds, scope: granted };
  }
}
