export { AuditLog, publicKeyOf, type ChainVerdict, type HeadSigningKey } from './audit-log';
export { GENESIS_HASH, type AuditEventContent, type AuditRecord } from './audit-event';
