export { AuditResolver, AuditEventConnection } from './audit.resolver';
export { AuditRepository } from './audit.repository';
export * from './audit.types';
export type { AuditContext } from './audit.resolver';
