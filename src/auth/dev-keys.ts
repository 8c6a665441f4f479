import fs from 'node:fs';
import path from 'node:path';
import { generateKeyPairSync, randomUUID, type JsonWebKey } from 'node:crypto';
import { ensurePrivateDir } from '../db/private-dir';
import { HUB_AUDIENCE } from './agencies';
import { signClientAssertion } from './sign-client-assertion';

/**
 * Development keys: one ES256 key per agency, created under the data directory on first use.
 * Never used when a real trust configuration is given; the keys never leave the machine that
 * made them. node:crypto only, so that `xietong token` loads fast.
 */

/** A private JWK with the `alg` and `kid` the hub reads. */
export type DevJwk = JsonWebKey & { kty: string; alg: string; kid: string };

/** The development client id (issuer) of an agency. */
export const devIssuer = (agency: string): string => `https://dev.xietong.local/${agency}`;
const keyFile = (dataDir: string, agency: string) => path.join(dataDir, 'keys', 'dev', `${agency}.jwk.json`);

/** The agency's development private key, created on first use. */
export function devPrivateJwk(dataDir: string, agency: string): DevJwk {
  const file = keyFile(dataDir, agency);
  if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, 'utf8')) as DevJwk;
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk: DevJwk = { ...privateKey.export({ format: 'jwk' }), kty: 'EC', alg: 'ES256', kid: `${agency}-dev-1` };
  ensurePrivateDir(path.dirname(file));
  // Several processes may start at once (tests, hub and worker): the key is written whole under
  // a temporary name and linked into place; whoever loses the race uses the winner's key.
  const temporary = `${file}.${process.pid}.${randomUUID()}`;
  fs.writeFileSync(temporary, JSON.stringify(jwk), { mode: 0o600 });
  try {
    fs.linkSync(temporary, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    fs.unlinkSync(temporary);
  }
  return JSON.parse(fs.readFileSync(file, 'utf8')) as DevJwk;
}

/**
 * A client assertion (RFC 7523) of the agency's development client, signed with its development
 * key, valid for one minute and one token request at `/oauth/token`. Only for an agency the hub
 * has made a key for (every agency of its agreements file, when it starts with development trust):
 * the key is not created here, so a mistyped agency is an error, not a new key.
 */
export function mintDevClientAssertion(dataDir: string, agency: string, audience: string = HUB_AUDIENCE): string {
  const dir = path.dirname(keyFile(dataDir, agency));
  if (!/^[a-z][a-z0-9-]*$/.test(agency) || !fs.existsSync(keyFile(dataDir, agency))) {
    const known = fs.existsSync(dir)
      ? fs
          .readdirSync(dir)
          .filter((f) => f.endsWith('.jwk.json'))
          .map((f) => f.slice(0, -'.jwk.json'.length))
      : [];
    throw new Error(
      `unknown agency "${agency}": no development key under ${dir} (the hub makes them when it starts);` + ` known: ${known.join(', ') || 'none yet'}`,
    );
  }
  return signClientAssertion(devPrivateJwk(dataDir, agency), devIssuer(agency), audience);
}
