import type { StreamRef } from './sync-vocabulary';

/** Another runner of the same stream committed first: this batch's rows were not written. */
export class StaleCursorError extends Error {
  constructor(
    readonly stream: StreamRef,
    readonly expected: number,
    readonly actual: number,
  ) {
    super(`stream ${stream.system}/${stream.stream} is at version ${actual}, not ${expected}`);
    this.name = 'StaleCursorError';
  }
}
