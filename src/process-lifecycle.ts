import { ConfigError, loadConfig, type HubConfig } from './config';
import type { Logger } from './logger';

/**
 * The configuration of an entry point (or what `read` makes of it, such as the demo's reading of
 * its own settings), or exit code 2 with the one-line reason.
 */
export function configOrExit(): HubConfig;
export function configOrExit<T>(read: () => T): T;
export function configOrExit(read: () => unknown = loadConfig): unknown {
  try {
    return read();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
}

/**
 * Runs `stop` once on the first SIGINT or SIGTERM, then exits: 0 when it finished, 1 when it
 * failed (a second signal during shutdown is ignored; the orchestrator's own timeout rules).
 */
export function stopOnSignals(logger: Logger, stop: () => Promise<void>): void {
  let stopping = false;
  const onSignal = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));
}
