import type { GraphQLRequestListener } from '@apollo/server';
import { requestMetricsPlugin, type MeteredContext } from './request-metrics-plugin';
import type { RequestMeter } from './request-meter';

/** A meter that keeps what the plugin tells it. */
function recordingMeter() {
  const told: { signature?: string | null; outcome?: string } = {};
  const meter: RequestMeter = {
    callerIs: () => undefined,
    refused: () => undefined,
    answered: (signature, outcome) => Object.assign(told, { signature, outcome }),
    end: () => undefined,
  };
  return { meter, told };
}

async function sent(context: MeteredContext, response: { body: unknown }): Promise<void> {
  const listener = (await requestMetricsPlugin().requestDidStart!({} as never)) as GraphQLRequestListener<MeteredContext>;
  await listener.willSendResponse!({ response, contextValue: context } as never);
}

describe('requestMetricsPlugin', () => {
  it('tells the meter the operation and the outcome of the answer as it is sent, and keeps nothing of the answer', async () => {
    const { meter, told } = recordingMeter();
    const cells = Array.from({ length: 3 }, (_, i) => ({ count: i }));
    const response = { body: { kind: 'single', singleResult: { data: { cells }, errors: [{ message: 'no', extensions: { code: 'FORBIDDEN' } }] } } };
    await sent({ meter, operation: { analysis: { signature: 'q:abc' } } }, response);
    // Read now: the request ends only once the answer has left, and holding the answer until then
    // kept a large one's every cell alive through the audit's commit and the write.
    response.body = { kind: 'single', singleResult: { data: { cells }, errors: [] } } as never;
    expect(told.signature).toBe('q:abc');
    expect(told.outcome).toBe('FORBIDDEN');
  });

  it('does nothing for a request without a meter (in-process and WebSocket executions)', async () => {
    await expect(sent({ meter: null, operation: { analysis: null } }, { body: { kind: 'incremental' } })).resolves.toBeUndefined();
  });
});
