import fs from 'node:fs';
import { loadConfig } from '../../src/config';

/**
 * The PostgreSQL server the tests use: the machine's (DATABASE_URL) or the embedded one that
 * global setup started. Each test file gets its own database on it.
 */
export function serverUrl(): string {
  const configured = loadConfig().databaseUrl;
  if (configured) return configured;
  // Set by global setup when it started the embedded server (test infrastructure, not hub config).
  const file = process.env.XIETONG_TEST_PG_URL_FILE;
  if (!file) throw new Error('No DATABASE_URL and no embedded test server: run the tests through jest (global setup)');
  return fs.readFileSync(file, 'utf8').trim();
}

/** A fresh database name for one test file. */
export function freshDatabaseUrl(label: string, server = serverUrl()): string {
  const url = new URL(server);
  url.pathname = `/xietong_test_${label.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${process.pid}_${Date.now().toString(36)}`;
  return url.toString();
}
