import { HUB_AUDIENCE, mintDevClientAssertion, requestAccessToken, TOKEN_PATH, type TokenResponse } from '../../src/auth';
import { loadConfig } from '../../src/config';

/**
 * An access token from `hubUrl`'s token endpoint for `agency` (its development client) with
 * `scope`, e.g. `role:officer division:3205`: what a client does once, then reuses the token.
 */
export async function hubAccessToken(hubUrl: string, agency: string, scope: string): Promise<TokenResponse> {
  const assertion = mintDevClientAssertion(loadConfig({}).dataDir, agency, HUB_AUDIENCE);
  return requestAccessToken(`${hubUrl}${TOKEN_PATH}`, assertion, scope);
}
