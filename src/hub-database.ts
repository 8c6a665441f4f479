import type { HubConfig } from './config';
import { openDatabase, type Database } from './db/database';
import { entityModelOf, HUB_DOMAINS } from './domains';
import type { Logger } from './logger';

/**
 * The hub's database with the canonical model's entities: what the command-line tools open, so
 * that they (and the folders they sit in) need not know the domains.
 */
export function openHubDatabase(config: HubConfig, logger?: Logger): Promise<Database> {
  return openDatabase(config, entityModelOf(HUB_DOMAINS), logger);
}
