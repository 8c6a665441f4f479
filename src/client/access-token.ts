import { TOKEN_PATH, type TokenResponse } from '../auth/oauth-protocol';
import { signClientAssertion, type PrivateJwk } from '../auth/sign-client-assertion';
import { requestAccessToken, TokenRequestRefused } from '../auth/token-client';
import { ClientError, ClientErrorCode } from './client-error';

/**
 * How a client proves itself to the token endpoint: a fresh client assertion (RFC 7523
 * `private_key_jwt`) for each token request, given the endpoint's URL (the assertion's audience).
 */
export type ClientAssertion = (tokenEndpoint: string) => string;

/** The assertion of a client holding its private key: `clientId` is the issuer the trust configuration lists it under. */
export function privateKeyJwt(clientId: string, privateJwk: PrivateJwk): ClientAssertion {
  return (tokenEndpoint) => signClientAssertion(privateJwk, clientId, tokenEndpoint);
}

/** Seconds before expiry at which a cached token is replaced, so that none expires in flight. */
const EXPIRY_MARGIN_SECONDS = 30;

/**
 * Access tokens from the hub's token endpoint (OAuth 2.0 client credentials), kept and reused
 * until shortly before they expire, as the hub expects: one token for many requests.
 * Loads neither jose nor graphql, so that `xietong token` stays fast.
 */
export class AccessTokens {
  private current: { response: TokenResponse; renewAt: number } | null = null;

  /**
   * @param hub the hub's base URL (its issuer), e.g. `http://127.0.0.1:4000`
   * @param scope what the token claims, e.g. `role:analyst` or `role:officer division:320505`
   */
  constructor(
    readonly hub: string,
    private readonly assertion: ClientAssertion,
    readonly scope: string,
  ) {}

  get tokenEndpoint(): string {
    return `${this.hub.replace(/\/+$/, '')}${TOKEN_PATH}`;
  }

  /** The current token, or a new one when there is none or it is about to expire. */
  async token(): Promise<string> {
    if (!this.current || Date.now() >= this.current.renewAt) await this.renew();
    return this.current!.response.access_token;
  }

  /** Asks the token endpoint for a new token now (e.g. after the hub refused the old one). */
  async renew(): Promise<TokenResponse> {
    const endpoint = this.tokenEndpoint;
    // Signed outside the try: a key that cannot sign is the caller's mistake, not the hub's answer.
    const assertion = this.assertion(endpoint);
    let response: TokenResponse;
    try {
      response = await requestAccessToken(endpoint, assertion, this.scope);
    } catch (error) {
      if (error instanceof TokenRequestRefused) {
        throw new ClientError(ClientErrorCode.TOKEN_REFUSED, `the token endpoint refused the client: ${error.message}`, {
          status: error.status,
          oauthError: error.error,
        });
      }
      throw new ClientError(ClientErrorCode.UNREACHABLE, `cannot reach the token endpoint ${endpoint}: ${(error as Error).message}`);
    }
    this.current = { response, renewAt: Date.now() + Math.max(0, response.expires_in - EXPIRY_MARGIN_SECONDS) * 1000 };
    return response;
  }
}
