import { SourceSystem } from '../../connectors/contract/canonical/codes';
import { connectorsFromConfig, rereadHookOf } from './connector-registry';

const NONE = { transport: null, registry: null, credit: null, exchange: null };

describe('the connector registry', () => {
  it('builds the connectors of the configured systems only', async () => {
    expect(connectorsFromConfig({ upstream: NONE }).size).toBe(0);
    const upstream = { ...NONE, registry: { url: 'http://127.0.0.1:1' }, credit: { url: 'http://127.0.0.1:1', apiKey: 'k' } };
    const connectors = connectorsFromConfig({ upstream });
    expect([...connectors.keys()].sort()).toEqual([SourceSystem.CREDIT_PLATFORM, SourceSystem.MARKET_REGISTRY]);
    for (const [system, connector] of connectors) expect(connector.system).toBe(system);
    for (const connector of connectors.values()) await connector.close();
  });

  it('has a re-read hook for captures only: other streams re-read their quarantine by a FULL read', () => {
    expect(rereadHookOf(SourceSystem.CHECKPOINT_EXCHANGE, 'captures')).toEqual(expect.any(Function));
    expect(rereadHookOf(SourceSystem.CHECKPOINT_EXCHANGE, 'checkpoints')).toBeNull();
    expect(rereadHookOf(SourceSystem.CREDIT_PLATFORM, 'ratings')).toBeNull();
    expect(rereadHookOf(SourceSystem.TRANSPORT, 'toString')).toBeNull();
  });

  it('the captures hook awaits the released serials again, and changes nothing without one', () => {
    const reread = rereadHookOf(SourceSystem.CHECKPOINT_EXCHANGE, 'captures')!;
    expect(reread({ afterSerial: 10 }, ['3', '7', 'not-a-serial'], 1_000)).toEqual({
      afterSerial: 10,
      gaps: [
        [3, 3, 1_000],
        [7, 7, 1_000],
      ],
    });
    expect(reread({ afterSerial: 10 }, ['x'], 1_000)).toBeUndefined();
  });
});
