import type { EntityManager } from '@mikro-orm/postgresql';
import type { FieldSelection } from '../db/read-scope';
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
  /**
   * The fields the operation selects, per type, set once it is parsed. Held in an object of its
   * own: Apollo passes resolvers a shallow copy of this context, the loaders hold the original.
   */
  operation: { selection: FieldSelection | null };
  loaders: Loaders;
  viewer: Viewer | null;
}
