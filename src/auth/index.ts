export { AuthenticationError, AuthFailure } from './authentication-error';
export { TokenVerifier } from './token-verifier';
export { TokenUseRegistry } from './token-use-registry';
export { ACCESS_TOKEN_TYPE, ALLOWED_ALGORITHMS, type TrustConfig, type TrustedIssuer } from './trust-config';
export { AgencyRegistry, HUB_AUDIENCE, type Agency } from './agencies';
export { loadOrCreateDevTrust, mintDevToken, type DevTokenRequest } from './dev-trust';
