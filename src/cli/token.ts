import os from 'node:os';
import { Command } from 'commander';
import type { HubConfig } from '../config';
import { AccessTokens } from '../client/access-token';
import { ClientError } from '../client/client-error';
import { CliError, ExitCode } from './exit-codes';
import { clientAssertion, cliErrorOf, hubUrl, withHubConnection, type HubConnectionOptions } from './hub-connection';
import { withHubDatabase } from './open-database';
import { report } from './output';

const collect = (value: string, previous: string[]) => [...previous, value];

interface TokenOptions extends HubConnectionOptions {
  role: string[];
  division: string[];
  direct?: boolean;
  subject?: string;
  ttl?: string;
  json?: boolean;
}

/** The scope a token claims: `role:<role>` and `division:<code>` for each given. */
const scopeOf = (options: TokenOptions) => [...options.role.map((r) => `role:${r}`), ...options.division.map((d) => `division:${d}`)].join(' ');

/** An access token from the hub's token endpoint, authenticated with a development key or `--key`. */
async function hubToken(config: HubConfig, options: TokenOptions): Promise<{ token: string; expiresIn: number; scope: string }> {
  const hub = hubUrl(config, options.hub);
  const tokens = new AccessTokens(hub, clientAssertion(config, options), scopeOf(options));
  try {
    const answer = await tokens.renew();
    return { token: answer.access_token, expiresIn: answer.expires_in, scope: answer.scope };
  } catch (error) {
    throw error instanceof ClientError ? cliErrorOf(error, hub, options) : error;
  }
}

/** An agency-signed token presented directly, as before the token endpoint (development trust accepts it). */
async function directToken(config: HubConfig, options: TokenOptions): Promise<{ token: string; expiresIn: number; scope: string }> {
  if (!options.agency) throw new CliError(ExitCode.USAGE, '--direct needs --agency');
  const ttl = options.ttl === undefined ? 3600 : Number(options.ttl);
  if (!Number.isSafeInteger(ttl) || ttl < 1 || ttl > 43_200) throw new CliError(ExitCode.USAGE, '--ttl must be a whole number of seconds from 1 to 43200');
  // jose (which signs these) and the agreements file (which names the agencies and their roles) are read only for this option.
  const [{ mintDevToken }, { loadAgencies }] = await Promise.all([import('../auth/dev-trust'), import('../access/agreements')]);
  try {
    const token = await mintDevToken(config.dataDir, loadAgencies(config.agreementsFile), {
      agency: options.agency,
      roles: options.role,
      subject: options.subject,
      ttlSeconds: ttl,
      divisions: options.division.length ? options.division : undefined,
    });
    return { token, expiresIn: ttl, scope: scopeOf(options) };
  } catch (error) {
    throw new CliError(ExitCode.USAGE, (error as Error).message);
  }
}

/** `xietong token revoke`: records the revocation (and its audit event) in the hub's database. */
async function revoke(config: HubConfig, options: { jti?: string; agency?: string; by: string; json?: boolean }): Promise<void> {
  if ((options.jti === undefined) === (options.agency === undefined)) {
    throw new CliError(ExitCode.USAGE, 'name exactly one of --jti <id> and --agency <agency>');
  }
  // The audit modules are loaded only here: `xietong token` stays fast without them.
  const [{ AuditLog }, { tokensRevokedEvent }, { revokeTokens }, { HubError }, { loadAgencies }] = await Promise.all([
    import('../audit/audit-log'),
    import('../audit/token-events'),
    import('../auth/token-revocations'),
    import('../errors'),
    import('../access/agreements'),
  ]);
  const started = performance.now();
  const agencies = loadAgencies(config.agreementsFile);
  await withHubDatabase(config, async (db) => {
    const target = options.jti !== undefined ? { jti: options.jti } : { agency: options.agency! };
    const by = { agency: 'hub-operator', subject: options.by, roles: ['operator'] };
    const auditLog = new AuditLog(db.pool);
    let revocation: { id: number; revokedAt: Date };
    try {
      revocation = await revokeTokens(db.pool, agencies, target, `${by.agency}/${by.subject}`, (client) =>
        auditLog
          .appendWithin(client, tokensRevokedEvent({ by, target, durationMs: Math.round((performance.now() - started) * 100) / 100 }))
          .then(() => undefined),
      );
    } catch (error) {
      if (error instanceof HubError) throw new CliError(ExitCode.REFUSED, error.message);
      throw error;
    }
    const { id, revokedAt } = revocation;
    const what = options.jti !== undefined ? `token ${options.jti}` : `every token of ${options.agency} issued until ${revokedAt.toISOString()}`;
    report(
      options,
      { revocation: id, revokedAt: revokedAt.toISOString(), ...target },
      () => `revoked ${what} (revocation ${id}, audited); every hub instance refuses it within ${config.oauth.revocationPollMs} ms`,
    );
  });
}

/**
 * `xietong token`: prints an access token for the hub, reusable until it expires; `xietong token
 * revoke` revokes tokens. `config` is read when a command runs, so `--help` works with any environment.
 */
export function tokenCommand(config: () => HubConfig): Command {
  const token = withHubConnection(
    new Command('token').description("print an access token from the hub's token endpoint (/oauth/token), reusable until it expires"),
  )
    .option('--role <role>', 'a role to claim (repeatable; at least one)', collect, [])
    .option('--division <code>', 'a division code prefix the caller works in, e.g. 3205 (repeatable)', collect, [])
    .option('--direct', 'mint an agency-signed token offline instead (development keys; no hub needed)')
    .option('--subject <subject>', "with --direct: the token's subject")
    .option('--ttl <seconds>', 'with --direct: lifetime in seconds (default 3600)')
    .option('--json', 'print {"access_token","expires_in","scope"} instead of the bare token')
    .action(async (options: TokenOptions) => {
      if (options.role.length === 0) throw new CliError(ExitCode.USAGE, 'claim at least one role (--role <role>)');
      const issued = options.direct ? await directToken(config(), options) : await hubToken(config(), options);
      report(options, { access_token: issued.token, expires_in: issued.expiresIn, scope: issued.scope }, () => issued.token);
    });
  token
    .command('revoke')
    .description('revoke one token (--jti, as the audit records it) or every token an agency holds now (--agency)')
    .option('--jti <id>', "the token's jti")
    .option('--agency <agency>', 'revoke every token of this agency issued until now')
    .option('--by <name>', 'who revokes, for the audit', os.userInfo().username)
    .option('--json', 'print the revocation as JSON')
    .action((options: { jti?: string; agency?: string; by: string; json?: boolean }) => revoke(config(), options));
  return token;
}
