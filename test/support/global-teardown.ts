import fs from 'node:fs';
import { checkRunLog } from './run-log-check';
import { RUN_LOG } from './test-logger';

export default async function globalTeardown(): Promise<void> {
  const embedded = (globalThis as Record<string, unknown>).__xietongEmbeddedPg as { stop: () => Promise<void>; dir: string } | undefined;
  if (embedded) {
    await embedded.stop();
    fs.rmSync(embedded.dir, { recursive: true, force: true });
  }
  // Nothing personal in logs: the whole run's log is scanned for the worlds' plates, ID numbers, phones and names.
  const { lines, findings } = checkRunLog();
  if (findings.length) {
    const shown = findings.slice(0, 10).map((f) => `  line ${f.line}: ${f.kind} ${f.value}`);
    throw new Error(`Personal data in the log of this test run (${RUN_LOG}, ${lines} lines), ${findings.length} found:\n${shown.join('\n')}`);
  }
}
