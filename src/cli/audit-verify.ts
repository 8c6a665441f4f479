import 'reflect-metadata';
import { createPublicKey } from 'node:crypto';
import { openHubDatabase } from '../hub-database';
import { configuredLogger } from '../logger';
import { configOrExit } from '../process-lifecycle';
import { AuditLog } from '../audit/audit-log';
import { loadOrCreateHubKey } from '../audit/hub-key';

/**
 * `npm run audit:verify [-- --full]`: verifies the audit chain from the last verified checkpoint
 * (with `--full`, from the first event) and checks the newest signed head. Prints one line and
 * exits 0 when intact, 1 at the first broken event.
 */
async function main(): Promise<void> {
  const config = configOrExit();
  const key = loadOrCreateHubKey(config.dataDir);
  const db = await openHubDatabase(config, configuredLogger(config));
  try {
    const full = process.argv.includes('--full');
    const verdict = await new AuditLog(db.pool).verify(new Map([[key.keyId, createPublicKey(key.privateKey)]]), { incremental: !full });
    if (verdict.intact) {
      const walked = verdict.checkedFrom
        ? `events ${verdict.checkedFrom + 1}-${verdict.events} checked after verified checkpoint ${verdict.checkedFrom}`
        : 'every event checked';
      process.stdout.write(`audit chain intact: ${verdict.events} events (${walked}), signed head ${verdict.signedHead ?? 'none yet'}\n`);
    } else {
      process.stdout.write(`audit chain BROKEN at event ${verdict.firstBrokenSeq}: ${verdict.reason}\n`);
      process.exitCode = 1;
    }
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`audit:verify failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
});
