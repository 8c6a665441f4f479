import fs from 'node:fs';
import { Command } from 'commander';
import type { HubConfig } from '../config';
import { HUB_AUDIENCE } from '../auth/agencies';
import { devIssuer, mintDevClientAssertion } from '../auth/dev-keys';
import type { PrivateJwk } from '../auth/sign-client-assertion';
import { privateKeyJwt, type ClientAssertion } from '../client/access-token';
import { ClientError, ClientErrorCode } from '../client/client-error';
import { assertNever } from '../errors/assert-never';
import { CliError, ExitCode } from './exit-codes';

/** How a command reaches the hub and proves who runs it: the options every hub-talking command shares. */
export interface HubConnectionOptions {
  hub?: string;
  agency?: string;
  clientId?: string;
  key?: string;
}

/** Adds `--hub`, `--agency` (default `agency`, if given), `--client-id` and `--key` to `command`. */
export function withHubConnection(command: Command, agency?: { default: string; why: string }): Command {
  return command
    .option('--hub <url>', 'the hub (default: OAUTH_ISSUER, else http://HOST:PORT)')
    .option('--agency <agency>', `the agency whose development key signs the client assertion${agency ? ` (${agency.why})` : ''}`, agency?.default)
    .option('--client-id <id>', 'sign with your own client instead of a development one: its id (issuer)')
    .option('--key <file>', 'with --client-id: the private JWK that signs the client assertion');
}

/** Where the hub is: `--hub`, else `OAUTH_ISSUER`, else the address it listens on by default. */
export function hubUrl(config: HubConfig, option: string | undefined): string {
  const host = ['0.0.0.0', '::'].includes(config.host) ? '127.0.0.1' : config.host;
  const hub = (option ?? config.oauth.issuer ?? `http://${host.includes(':') ? `[${host}]` : host}:${config.port}`).replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]/.test(hub) || !URL.canParse(hub)) throw new CliError(ExitCode.USAGE, `--hub must be an http(s) URL, not ${hub}`);
  return hub;
}

function readPrivateJwk(file: string): PrivateJwk {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as PrivateJwk;
  } catch (error) {
    throw new CliError(ExitCode.USAGE, `--key ${file} is not a readable JWK file: ${(error as Error).message}`);
  }
}

/**
 * The client assertion the options describe: a real client's key (`--client-id`, `--key`), or the
 * development key of `--agency` (audience the hub's name, so that any address of the hub takes it).
 */
export function clientAssertion(config: HubConfig, options: HubConnectionOptions): ClientAssertion {
  if (options.key && !options.clientId) throw new CliError(ExitCode.USAGE, '--key needs --client-id (the issuer the trust configuration lists the key under)');
  if (options.clientId && !options.key) throw new CliError(ExitCode.USAGE, '--client-id needs --key (the private JWK file of that client)');
  if (options.key) {
    const sign = privateKeyJwt(options.clientId!, readPrivateJwk(options.key));
    return (endpoint) => usage(() => sign(endpoint));
  }
  if (!options.agency) throw new CliError(ExitCode.USAGE, 'name the agency (--agency), or sign with your own key (--client-id and --key)');
  const agency = options.agency;
  return () => usage(() => mintDevClientAssertion(config.dataDir, agency, HUB_AUDIENCE));
}

/** A key that cannot sign, or an agency without a development key, is the command line's mistake. */
function usage<T>(make: () => T): T {
  try {
    return make();
  } catch (error) {
    throw new CliError(ExitCode.USAGE, (error as Error).message);
  }
}

/** How a failed call of the typed client ends the command: its exit code, and a message saying what to do. */
export function cliErrorOf(error: ClientError, hub: string, options: HubConnectionOptions): CliError {
  switch (error.code) {
    case ClientErrorCode.UNREACHABLE:
      return new CliError(ExitCode.UNREACHABLE, `cannot reach the hub at ${hub} (${error.message}); start it (npm start) or pass --hub <url>`);
    case ClientErrorCode.BAD_RESPONSE:
      return new CliError(ExitCode.UNREACHABLE, `${error.message}; is ${hub} the hub? pass --hub <url>`);
    case ClientErrorCode.TOKEN_REFUSED: {
      const hint =
        error.details.oauthError === 'invalid_client' && !options.key
          ? ` (the hub must trust the development key of ${devIssuer(options.agency!)}: no TRUST_CONFIG_FILE)`
          : '';
      return new CliError(ExitCode.REFUSED, `the hub refused: ${error.message.replace(/^the token endpoint refused the client: /, '')}${hint}`);
    }
    case ClientErrorCode.OPERATION_FAILED:
      return new CliError(ExitCode.REFUSED, error.message);
    default:
      return assertNever(error.code);
  }
}
