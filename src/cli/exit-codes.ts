/** How `xietong` ends; documented in its `--help` and the README. */
export enum ExitCode {
  OK = 0,
  /** The hub (or the database) answered no: it refused, or a check failed (a broken audit chain); the message says what. */
  REFUSED = 1,
  /** The command line or the configuration is wrong. */
  USAGE = 2,
  /** The hub or the database could not be reached. */
  UNREACHABLE = 3,
}

/** A failure the CLI reports as one line and its exit code. */
export class CliError extends Error {
  constructor(
    readonly exitCode: ExitCode,
    message: string,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
