/**
 * The one owner of sync state: every statement on `sync_run`, `sync_stream`, `sync_snapshot`,
 * `sync_snapshot_seen` and `quarantined_record` is here, with the vocabulary (modes, statuses,
 * the heartbeat rule) the rest of the sync imports.
 */
export * from './sync-vocabulary';
export { StaleCursorError } from './stale-cursor-error';
export * from './run-store';
export * from './stream-store';
export * from './snapshot-store';
export * from './quarantine-store';
export * from './sync-history';
export * from './stream-health';
