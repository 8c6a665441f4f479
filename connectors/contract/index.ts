export type { Connector, ConnectorDefinition, RereadQuarantined, StreamBatch } from './connector';
export type { QuarantineEntry } from './quarantine-entry';
export type { Mapped } from './mapped';
export { ConfigurationError, TransientError } from './connector-errors';
export { httpGetJson } from './http-get';
export { DEFAULT_SAFETY_LAG_MS, settledCursor } from './safety-lag';
