export { SyncResolver, SyncRunConnection, QuarantinedRecordConnection } from './sync.resolver';
export * from './sync.types';
export type { SyncContext } from './sync.resolver';
export { SyncControl } from './sync-control';
