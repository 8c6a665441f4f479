import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ensurePrivateDir } from '../db/private-dir';
import type { HeadSigningKey } from './audit-log';

/** Where the hub keeps the key that signs audit chain heads, under its data directory. */
export const hubKeyFile = (dataDir: string): string => path.join(dataDir, 'keys', 'audit-head-ed25519.pem');

/** A key's id: the first 16 hex digits of the SHA-256 of its public key (SPKI DER). */
export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex')
    .slice(0, 16);
}

/**
 * The hub's head-signing key: read from `dataDir`, or created there on first use (private to
 * the owner, 0600). Verifiers need only its public key.
 */
export function loadOrCreateHubKey(dataDir: string): HeadSigningKey {
  const file = hubKeyFile(dataDir);
  let privateKey: KeyObject;
  if (fs.existsSync(file)) {
    privateKey = createPrivateKey(fs.readFileSync(file));
  } else {
    ensurePrivateDir(path.dirname(file));
    privateKey = generateKeyPairSync('ed25519').privateKey;
    // Written whole under a temporary name and linked into place: of processes starting at
    // once, all end up with the one key that won.
    const temporary = `${file}.${process.pid}.${Date.now()}`;
    fs.writeFileSync(temporary, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    try {
      fs.linkSync(temporary, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      privateKey = createPrivateKey(fs.readFileSync(file));
    } finally {
      fs.unlinkSync(temporary);
    }
  }
  return { keyId: keyIdOf(createPublicKey(privateKey)), privateKey };
}
