import type { Connector, StreamBatch } from '../../connectors/contract';

/**
 * `connector`, with `hook` run after each batch it yields (numbered from 1 over the wrapper's
 * life) and before the next is read: where a test makes the source change mid-read, stops the
 * run, or fails the read.
 */
export function afterEachBatch(connector: Connector, hook: (n: number, batch: StreamBatch<object>) => unknown): Connector {
  let n = 0;
  return {
    system: connector.system,
    streams: connector.streams,
    reportsDeletions: connector.reportsDeletions,
    check: () => connector.check(),
    close: () => connector.close(),
    async *read(stream, state) {
      for await (const batch of connector.read(stream, state)) {
        yield batch;
        await hook(++n, batch);
      }
    },
  };
}
