import { Command } from 'commander';
import type { HubConfig } from '../config';
import { ExitCode } from './exit-codes';
import { withHubDatabase } from './open-database';
import { report } from './output';

/**
 * `xietong draw verify <task>` (`npm run draw:verify -- <task>`): recomputes a task's draw from
 * the database: the published document's own checks (draw-algorithm.ts), plus what only the
 * database holds: the beacon hash is the audit event's at the stated sequence number (and the
 * signed audit head at the beacon is the hub key's), the signatures are by the hub's key, and the
 * matched inspectors stored are the result's. Exit 1 on a mismatch. `xietong draw public-key`
 * prints the key the standalone verifier must be given to say "match".
 */
export function drawCommand(config: () => HubConfig): Command {
  const draw = new Command('draw').description('random-inspection draws (双随机)');
  draw
    .command('verify')
    .argument('<task>', 'the task id, e.g. TASK-3f9a0c1b2d4e')
    .description('recompute a draw from the database and say whether it matches (exit 1 if not)')
    .option('--json', 'print the checks as JSON')
    .action(async (task: string, options: { json?: boolean }) => {
      const settings = config();
      const [{ createPublicKey }, { loadOrCreateHubKey }, inspection, { ReadGateway }] = await Promise.all([
        import('node:crypto'),
        import('../audit/hub-key'),
        import('../domains/inspection'),
        import('../read-kit/rows/read-gateway'),
      ]);
      const key = createPublicKey(loadOrCreateHubKey(settings.dataDir).privateKey).export({ type: 'spki', format: 'pem' }).toString();
      const verdict = await withHubDatabase(settings, async (db) => {
        const sql = { query: async <R>(text: string, params: readonly unknown[] = []) => (await db.pool.query(text, [...params])).rows as R[] };
        // The document as the public page serves it, read through the gateway as nobody in particular.
        const gateway = new ReadGateway(db, { statementTimeoutMs: 60_000, onIdleError: () => undefined });
        const published = await new inspection.InspectionRepository({ reads: gateway.forRequest({}) }).publishedDraw(task).finally(() => gateway.close());
        if (!published) return null;
        const { match, checks } = inspection.verifyPublishedDraw(published, key);
        if (published.reveal) {
          const [beacon] = await sql.query<{ hash: string }>('select hash from audit_event where seq = $1', [published.commitment.beaconSeq]);
          checks.push({ check: 'beacon', ok: beacon?.hash === published.reveal.beaconHash, detail: `audit event ${published.commitment.beaconSeq}` });
          const stored = await sql.query<{ pair: string }>(
            `select uscc || '|' || inspector_id as pair from inspection_assignment where task_id = $1 order by 1`,
            [task],
          );
          const expected = (published.result?.objects ?? []).flatMap((o) => o.inspectorIds.map((i) => `${o.uscc}|${i}`)).sort();
          checks.push({ check: 'assignments', ok: JSON.stringify(stored.map((s) => s.pair)) === JSON.stringify(expected) });
        }
        return { task, match: match && checks.every((c) => c.ok), checks };
      });
      if (!verdict) {
        process.stderr.write(`no task ${task}\n`);
        process.exitCode = ExitCode.REFUSED;
        return;
      }
      report(options, verdict, () =>
        [
          ...verdict.checks.map((c) => `${c.ok ? 'ok  ' : 'FAIL'} ${c.check}${c.detail ? ` (${c.detail})` : ''}`),
          `${verdict.match ? 'match' : 'mismatch'}: task ${task}`,
        ].join('\n'),
      );
      if (!verdict.match) process.exitCode = ExitCode.REFUSED;
    });
  draw
    .command('public-key')
    .description('print the hub key that signs draws and audit heads (PEM), for `draw:verify:published --public-key`')
    .action(async () => {
      const [{ createPublicKey }, { loadOrCreateHubKey }] = await Promise.all([import('node:crypto'), import('../audit/hub-key')]);
      process.stdout.write(createPublicKey(loadOrCreateHubKey(config().dataDir).privateKey).export({ type: 'spki', format: 'pem' }).toString());
    });
  return draw;
}
