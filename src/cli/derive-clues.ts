import 'reflect-metadata';
import { openHubDatabase } from '../hub-database';
import { configuredLogger } from '../logger';
import { configOrExit } from '../process-lifecycle';
import { deriveClues } from '../supervision/clue-derivation';
import { loadClueRules } from '../supervision/clue-rules';

/**
 * `npm run derive [-- --full]`: derives supervision clues from what changed since each rule's
 * cursor (with `--full`, from all the data: the same clues). Prints one line per rule.
 */
async function main(): Promise<void> {
  const config = configOrExit();
  const rules = loadClueRules(config.clueRulesFile, config.crimeCatalogueFile);
  const db = await openHubDatabase(config, configuredLogger(config));
  try {
    for (const run of await deriveClues(db.pool, rules, { full: process.argv.includes('--full') })) {
      process.stdout.write(
        `${run.ruleId} (${run.kind}): ${run.keys} keys derived, ${run.written} clues written, ${run.withdrawn} withdrawn; through ${run.derivedThrough.toISOString()}\n`,
      );
    }
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`derive failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
});
