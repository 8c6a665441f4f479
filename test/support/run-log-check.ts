import fs from 'node:fs';
import { generateWorld, type World, type WorldOptions } from '../../src/demo/world';
import { personalDataIn, type Finding } from './personal-data-scan';
import { RUN_LOG, TEST_WORLD_MESSAGE } from './test-logger';

/** The worlds tests announced in the run log (`announceWorld`), generated again. */
function worldsIn(lines: readonly string[]): World[] {
  const announced = new Map<string, WorldOptions>();
  for (const line of lines) {
    if (!line.startsWith(`{"msg":"${TEST_WORLD_MESSAGE}"`)) continue;
    const { world } = JSON.parse(line) as { world: WorldOptions };
    announced.set(JSON.stringify(world), world);
  }
  return [...announced.values()].map((options) => generateWorld(options));
}

/**
 * Scans the run log (every line the run's hubs and workers logged) for the personal data of the
 * worlds they served: the run fails if a plate, resident ID number, phone number or name was logged.
 */
export function checkRunLog(): { lines: number; findings: Finding[] } {
  if (!fs.existsSync(RUN_LOG)) return { lines: 0, findings: [] };
  const text = fs.readFileSync(RUN_LOG, 'utf8');
  const lines = text.split('\n');
  return { lines: lines.length - 1, findings: personalDataIn(text, worldsIn(lines)) };
}
