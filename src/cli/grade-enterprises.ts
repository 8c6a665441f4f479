import 'reflect-metadata';
import { openHubDatabase } from '../hub-database';
import { configuredLogger } from '../logger';
import { configOrExit } from '../process-lifecycle';
import { loadRiskGradeRules } from '../supervision/risk-grade-rules';
import { gradeEnterprises } from '../supervision/risk-grading';

/**
 * `npm run grade [-- --full]`: grades the operator enterprises whose inputs changed since the
 * grading's cursor (with `--full`, every operator: the same grades). Prints one line of counts.
 */
async function main(): Promise<void> {
  const config = configOrExit();
  const rules = loadRiskGradeRules(config.riskGradeRulesFile);
  const db = await openHubDatabase(config, configuredLogger(config));
  try {
    const run = await gradeEnterprises(db.pool, rules, { full: process.argv.includes('--full') });
    process.stdout.write(
      `${run.full ? 'full' : 'incremental'} grading (rules ${rules.version}): ${run.enterprises} enterprises graded, ${run.written} grades written, ` +
        `${run.changes} grade changes logged, ${run.withdrawn} withdrawn\n`,
    );
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`grade failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
});
