import { HUB_DOMAINS } from '../domains';
import { MyAccessResolver } from '../access/my-access.resolver';
import { SyncResolver } from '../sync/operator';
import { AuditResolver } from '../audit/queries';
import type { SchemaParts } from './schema';

/**
 * What the hub is composed of: its domains, then the resolvers of access, sync and the audit
 * trail. The hub (`app.ts`), the schema print and the tests build from this one list.
 */
export const HUB_PARTS = {
  domains: HUB_DOMAINS,
  resolvers: [MyAccessResolver, SyncResolver, AuditResolver],
} as const satisfies SchemaParts;
