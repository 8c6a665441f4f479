export { AuditLog, publicKeyOf, type ChainVerdict, type HeadSigningKey } from './audit-log';
export { GENESIS_HASH, type AuditEventContent, type AuditRecord } from './audit-event';
export { hubKeyFile, keyIdOf, loadOrCreateHubKey } from './hub-key';
