import { CLIENT_CREDENTIALS, TOKEN_PATH } from '../auth/oauth-protocol';
import type { AuditEventContent } from './audit-event';

/** A token the token endpoint issued: to which client of which agency, claiming what, and its `jti`. */
export interface IssuedTokenFacts {
  agency: string;
  clientId: string;
  roles: string[];
  /** The granted scope, as the token and the answer name it. */
  scope: string;
  tokenId: string;
  durationMs: number;
}

/** The event of an issued token: it ties the token's `jti` (recorded again on every request made with it) to its client. */
export function tokenIssuedEvent(facts: IssuedTokenFacts): AuditEventContent {
  return {
    agency: facts.agency,
    subject: facts.clientId,
    roles: facts.roles,
    agreement: null,
    purpose: null,
    caseNumber: null,
    operationName: TOKEN_PATH,
    documentHash: '',
    variables: { grant_type: CLIENT_CREDENTIALS, scope: facts.scope },
    fieldsReturned: {},
    sources: {},
    refusal: null,
    outcome: 'OK',
    durationMs: facts.durationMs,
    tokenId: facts.tokenId,
  };
}

/** A revocation, by whom (an operator), of one token (`jti`) or of every token an agency held. */
export interface RevocationFacts {
  by: { agency: string; subject: string; roles: string[] };
  target: { jti: string } | { agency: string };
  durationMs: number;
}

/** The event of a revocation, written in the transaction that records it. */
export function tokensRevokedEvent(facts: RevocationFacts): AuditEventContent {
  return {
    agency: facts.by.agency,
    subject: facts.by.subject,
    roles: facts.by.roles,
    agreement: null,
    purpose: null,
    caseNumber: null,
    operationName: 'revokeAccessTokens',
    documentHash: '',
    variables: { ...facts.target },
    fieldsReturned: {},
    sources: {},
    refusal: null,
    outcome: 'OK',
    durationMs: facts.durationMs,
  };
}
