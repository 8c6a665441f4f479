import fs from 'node:fs';
import os from 'node:os';
import { Command } from 'commander';
import type { HubConfig } from '../config';
import { HUB_AUDIENCE } from '../auth/agencies';
import { devIssuer, mintDevClientAssertion } from '../auth/dev-keys';
import { signClientAssertion, type PrivateJwk } from '../auth/sign-client-assertion';
import { TOKEN_PATH } from '../auth/oauth-protocol';
import { requestAccessToken, TokenRequestRefused } from '../auth/token-client';
import { CliError, ExitCode } from './exit-codes';

const collect = (value: string, previous: string[]) => [...previous, value];

interface TokenOptions {
  agency?: string;
  role: string[];
  division: string[];
  hub?: string;
  clientId?: string;
  key?: string;
  direct?: boolean;
  subject?: string;
  ttl?: string;
  json?: boolean;
}

/** Where the hub is: `--hub`, else `OAUTH_ISSUER`, else the address it listens on by default. */
function hubUrl(config: HubConfig, option: string | undefined): string {
  const host = ['0.0.0.0', '::'].includes(config.host) ? '127.0.0.1' : config.host;
  return (option ?? config.oauth.issuer ?? `http://${host.includes(':') ? `[${host}]` : host}:${config.port}`).replace(/\/+$/, '');
}

function readPrivateJwk(file: string): PrivateJwk {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as PrivateJwk;
  } catch (error) {
    throw new CliError(ExitCode.USAGE, `--key ${file} is not a readable JWK file: ${(error as Error).message}`);
  }
}

/** An access token from the hub's token endpoint, authenticated with a development key or `--key`. */
async function hubToken(config: HubConfig, options: TokenOptions): Promise<{ token: string; expiresIn: number; scope: string }> {
  const hub = hubUrl(config, options.hub);
  if (!/^https?:\/\/[^/]/.test(hub) || !URL.canParse(hub)) throw new CliError(ExitCode.USAGE, `--hub must be an http(s) URL, not ${hub}`);
  const endpoint = `${hub}${TOKEN_PATH}`;
  if (options.key && !options.clientId) throw new CliError(ExitCode.USAGE, '--key needs --client-id (the issuer the trust configuration lists the key under)');
  if (!options.key && !options.agency) throw new CliError(ExitCode.USAGE, 'name the agency (--agency), or sign with your own key (--client-id and --key)');
  let assertion: string;
  try {
    assertion = options.key
      ? signClientAssertion(readPrivateJwk(options.key), options.clientId!, endpoint)
      : mintDevClientAssertion(config.dataDir, options.agency!, HUB_AUDIENCE);
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(ExitCode.USAGE, (error as Error).message);
  }
  const scope = [...options.role.map((r) => `role:${r}`), ...options.division.map((d) => `division:${d}`)].join(' ');
  try {
    const answer = await requestAccessToken(endpoint, assertion, scope);
    return { token: answer.access_token, expiresIn: answer.expires_in, scope: answer.scope };
  } catch (error) {
    if (error instanceof TokenRequestRefused) {
      const hint =
        error.error === 'invalid_client' && !options.key
          ? ` (the hub must trust the development key of ${devIssuer(options.agency!)}: no TRUST_CONFIG_FILE)`
          : '';
      throw new CliError(ExitCode.REFUSED, `the hub refused: ${error.message}${hint}`);
    }
    throw new CliError(ExitCode.UNREACHABLE, `cannot reach the hub at ${hub} (${(error as Error).message}); start it (npm start) or pass --hub <url>`);
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
    return { token, expiresIn: ttl, scope: [...options.role.map((r) => `role:${r}`), ...options.division.map((d) => `division:${d}`)].join(' ') };
  } catch (error) {
    throw new CliError(ExitCode.USAGE, (error as Error).message);
  }
}

/** `xietong token revoke`: records the revocation (and its audit event) in the hub's database. */
async function revoke(config: HubConfig, options: { jti?: string; agency?: string; by: string; json?: boolean }): Promise<void> {
  if ((options.jti === undefined) === (options.agency === undefined)) {
    throw new CliError(ExitCode.USAGE, 'name exactly one of --jti <id> and --agency <agency>');
  }
  // The database and audit modules are loaded only here: `xietong token` stays fast without them.
  const [{ openHubDatabase }, { AuditLog }, { tokensRevokedEvent }, { revokeTokens }, { HubError }, { loadAgencies }] = await Promise.all([
    import('../hub-database'),
    import('../audit/audit-log'),
    import('../audit/token-events'),
    import('../auth/token-revocations'),
    import('../errors'),
    import('../access/agreements'),
  ]);
  const started = performance.now();
  const agencies = loadAgencies(config.agreementsFile);
  let db: Awaited<ReturnType<typeof openHubDatabase>>;
  try {
    db = await openHubDatabase(config);
  } catch (error) {
    throw new CliError(ExitCode.UNREACHABLE, `cannot open the hub's database: ${(error as Error).message}`);
  }
  try {
    const target = options.jti !== undefined ? { jti: options.jti } : { agency: options.agency! };
    const by = { agency: 'hub-operator', subject: options.by, roles: ['operator'] };
    const auditLog = new AuditLog(db.pool);
    const { id, revokedAt } = await revokeTokens(db.pool, agencies, target, `${by.agency}/${by.subject}`, (client) =>
      auditLog
        .appendWithin(client, tokensRevokedEvent({ by, target, durationMs: Math.round((performance.now() - started) * 100) / 100 }))
        .then(() => undefined),
    );
    const what = options.jti !== undefined ? `token ${options.jti}` : `every token of ${options.agency} issued until ${revokedAt.toISOString()}`;
    process.stdout.write(
      options.json
        ? `${JSON.stringify({ revocation: id, revokedAt: revokedAt.toISOString(), ...target })}\n`
        : `revoked ${what} (revocation ${id}, audited); every hub instance refuses it within ${config.oauth.revocationPollMs} ms\n`,
    );
  } catch (error) {
    if (error instanceof HubError) throw new CliError(ExitCode.REFUSED, error.message);
    throw error;
  } finally {
    await db.close();
  }
}

/**
 * `xietong token`: prints an access token for the hub, reusable until it expires; `xietong token
 * revoke` revokes tokens. `config` is read when a command runs, so `--help` works with any environment.
 */
export function tokenCommand(config: () => HubConfig): Command {
  const token = new Command('token')
    .description("print an access token from the hub's token endpoint (/oauth/token), reusable until it expires")
    .option('--agency <agency>', 'the agency whose development key signs the client assertion')
    .option('--role <role>', 'a role to claim (repeatable; at least one)', collect, [])
    .option('--division <code>', 'a division code prefix the caller works in, e.g. 3205 (repeatable)', collect, [])
    .option('--hub <url>', 'the hub (default: OAUTH_ISSUER, else http://HOST:PORT)')
    .option('--client-id <id>', 'sign with your own client instead of a development one: its id (issuer)')
    .option('--key <file>', 'with --client-id: the private JWK that signs the client assertion')
    .option('--direct', 'mint an agency-signed token offline instead (development keys; no hub needed)')
    .option('--subject <subject>', "with --direct: the token's subject")
    .option('--ttl <seconds>', 'with --direct: lifetime in seconds (default 3600)')
    .option('--json', 'print {"access_token","expires_in","scope"} instead of the bare token')
    .action(async (options: TokenOptions) => {
      if (options.role.length === 0) throw new CliError(ExitCode.USAGE, 'claim at least one role (--role <role>)');
      const issued = options.direct ? await directToken(config(), options) : await hubToken(config(), options);
      const answer = { access_token: issued.token, expires_in: issued.expiresIn, scope: issued.scope };
      process.stdout.write(options.json ? `${JSON.stringify(answer)}\n` : `${issued.token}\n`);
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
