import { isDivisionPrefix } from '../../connectors/contract/identifiers';
import { OAuthError, OAuthErrorCode } from './oauth-error';

/** What a token grants: roles within its agency's and the divisions (code prefixes) its holder works in. */
export interface TokenScope {
  roles: string[];
  divisions: string[];
}

/** Most scope values one request may carry: roles and divisions are a handful each. */
const MAX_SCOPE_VALUES = 64;

/**
 * Reads a token request's `scope` (RFC 6749 §3.3: space-separated values): `role:<role>` for each
 * role asked for, at least one and each one the agency may claim (`allowedRoles`), and
 * `division:<code prefix>` (2 to 6 digits, e.g. `division:3205`) for each division the caller
 * works in, which row scopes read. A purpose is not a scope: it is declared per request, so one
 * token serves every purpose its agreement permits.
 */
export function parseScope(scope: string | null, agency: string, allowedRoles: readonly string[]): TokenScope {
  const noRole = new OAuthError(
    OAuthErrorCode.INVALID_SCOPE,
    allowedRoles.length ? `name at least one role, e.g. scope=role:${allowedRoles[0]}` : `${agency} may claim no role`,
  );
  if (scope === null || scope.trim() === '') throw noRole;
  const values = scope.trim().split(/ +/);
  if (values.length > MAX_SCOPE_VALUES) throw new OAuthError(OAuthErrorCode.INVALID_SCOPE, `at most ${MAX_SCOPE_VALUES} scope values`);
  const roles = new Set<string>();
  const divisions = new Set<string>();
  for (const value of values) {
    const colon = value.indexOf(':');
    const kind = colon < 0 ? value : value.slice(0, colon);
    const argument = colon < 0 ? '' : value.slice(colon + 1);
    if (kind === 'role') {
      if (!allowedRoles.includes(argument)) {
        throw new OAuthError(OAuthErrorCode.INVALID_SCOPE, `${agency} may claim the roles ${allowedRoles.join(', ')}; not ${printable(argument)}`);
      }
      roles.add(argument);
    } else if (kind === 'division') {
      if (!isDivisionPrefix(argument)) {
        throw new OAuthError(OAuthErrorCode.INVALID_SCOPE, `a division is a code prefix of 2 to 6 digits, not ${printable(argument)}`);
      }
      divisions.add(argument);
    } else if (kind === 'purpose') {
      throw new OAuthError(OAuthErrorCode.INVALID_SCOPE, 'a purpose is declared per request (extensions.purpose or x-purpose), not in the token');
    } else {
      throw new OAuthError(OAuthErrorCode.INVALID_SCOPE, `unknown scope value ${printable(value)}: use role:<role> and division:<code prefix>`);
    }
  }
  if (roles.size === 0) throw noRole;
  return { roles: [...roles], divisions: [...divisions] };
}

/** The scope string of what was granted, in a stable order (the token's `scope` claim and the answer's). */
export function formatScope(scope: TokenScope): string {
  return [...scope.roles.map((r) => `role:${r}`), ...scope.divisions.map((d) => `division:${d}`)].join(' ');
}

/** A caller's value quoted back only as far as it is short and plain. */
function printable(value: string): string {
  return /^[\w.-]{1,40}$/.test(value) ? `'${value}'` : '(that value)';
}
