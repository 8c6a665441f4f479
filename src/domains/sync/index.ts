export { SyncResolver, SyncRunConnection, QuarantinedRecordConnection } from './sync.resolver';
export { SyncRepository } from './sync.repository';
export * from './sync.types';
export type { SyncContext } from './sync.resolver';
