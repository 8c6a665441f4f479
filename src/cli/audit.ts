import { Command } from 'commander';
import type { HubConfig } from '../config';
import type { ChainVerdict } from '../audit/audit-log';
import { ExitCode } from './exit-codes';
import { withHubDatabase } from './open-database';
import { report } from './output';

function describe(verdict: ChainVerdict): string {
  if (!verdict.intact) return `audit chain BROKEN at event ${verdict.firstBrokenSeq}: ${verdict.reason}`;
  const walked = verdict.checkedFrom
    ? `events ${verdict.checkedFrom + 1}-${verdict.events} checked after verified checkpoint ${verdict.checkedFrom}`
    : 'every event checked';
  return `audit chain intact: ${verdict.events} events (${walked}), signed head ${verdict.signedHead ?? 'none yet'}`;
}

/**
 * `xietong audit verify [--full]`: verifies the audit chain from the last verified checkpoint (with
 * `--full`, from the first event) and the newest signed head, in the hub's database with the hub's
 * key from its data directory: it needs no running hub and trusts none (auditors without the key
 * use `verifyAuditChain` over GraphQL). Exits 0 when intact, 1 at the first broken event.
 */
export function auditCommand(config: () => HubConfig): Command {
  const audit = new Command('audit').description("the hub's audit trail");
  audit
    .command('verify')
    .description("verify the audit hash chain and its signed head with the hub's key (exit 1 at the first broken event)")
    .option('--full', 'walk the chain from the first event, not from the last verified checkpoint')
    .option('--json', 'print the verdict as JSON')
    .action(async (options: { full?: boolean; json?: boolean }) => {
      const settings = config();
      const [{ createPublicKey }, { AuditLog }, { loadOrCreateHubKey }] = await Promise.all([
        import('node:crypto'),
        import('../audit/audit-log'),
        import('../audit/hub-key'),
      ]);
      const key = loadOrCreateHubKey(settings.dataDir);
      const verdict = await withHubDatabase(settings, (db) =>
        new AuditLog(db.pool).verify(new Map([[key.keyId, createPublicKey(key.privateKey)]]), { incremental: !options.full }),
      );
      report(options, verdict, () => describe(verdict));
      if (!verdict.intact) process.exitCode = ExitCode.REFUSED;
    });
  return audit;
}
