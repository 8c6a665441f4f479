import type { EntityManager } from '@mikro-orm/postgresql';
import type { SqlClient } from '../db/sql-client';
import type { Loaders } from './loaders';

/**
 * The verified caller of a request. Access control attaches it here when it authenticates the
 * request; resolvers never read headers themselves.
 */
export interface Viewer {
  agency: string;
  subject: string;
  roles: string[];
}

/** Everything a resolver may use, created fresh for each request. */
export interface HubContext {
  /** A forked EntityManager: its identity map lives and dies with the request. */
  em: EntityManager;
  /** Counted `pg` access for reads; repositories take `{ em, sql }` from here. */
  sql: SqlClient;
  loaders: Loaders;
  viewer: Viewer | null;
}
