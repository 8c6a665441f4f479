import { loadConfig } from '../../src/config';
import { startHub, type Hub } from '../../src/app';
import { openDatabase } from '../../src/db/database';
import { dropDatabase } from '../../src/db/ensure-database';
import { loadWorld, type LoadOptions } from '../../src/demo/load-world';
import { createLogger } from '../../src/logger';
import { generateWorld, type World } from '../../connectors/world';
import { freshDatabaseUrl } from './test-database';

export interface TestHub {
  hub: Hub;
  world: World;
  close(): Promise<void>;
}

/**
 * A real hub on a free port, over its own fresh database loaded with a small synthetic world.
 * Errors the hub logs are collected so tests can assert nothing was masked unexpectedly.
 */
export async function startTestHub(label: string, options: { size?: number; seed?: number; captureFilter?: LoadOptions['captureFilter'] } = {}): Promise<TestHub & { logged: string[] }> {
  const databaseUrl = freshDatabaseUrl(label);
  const config = { ...loadConfig({ DATABASE_URL: databaseUrl, PORT: '0', LOG_LEVEL: 'error' }) };
  const logged: string[] = [];
  const logger = createLogger('error', (line) => logged.push(line));
  const db = await openDatabase(config);
  const world = generateWorld({ seed: options.seed ?? 7, size: options.size ?? 0.01 });
  await loadWorld(db.pool, world, { captureFilter: options.captureFilter });
  const hub = await startHub(config, logger, db);
  return {
    hub,
    world,
    logged,
    async close() {
      await hub.close();
      await db.close();
      await dropDatabase(databaseUrl);
    },
  };
}
