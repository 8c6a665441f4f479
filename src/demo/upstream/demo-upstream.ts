import { startExchangeSimulator, startLiveTraffic } from './exchange-simulator';
import { startCreditSimulator } from './credit-simulator';
import { startRegistrySimulator } from './registry-simulator';
import { startTransportSimulator } from './transport-simulator';
import type { World } from '../world';
import type { UpstreamConfig } from '../../config';
import type { DemoFaults } from './demo-faults';

/** The four simulated agency systems of a demo, and the configuration that points at them. */
export interface DemoUpstream {
  upstream: UpstreamConfig;
  close(): Promise<void>;
}

/**
 * Starts every upstream system over the demo world on local ports, with the fault modes asked for (the police exchange as its own
 * schema in the hub's PostgreSQL), with live checkpoint traffic, so the demo's sync workers have
 * real systems to read.
 */
export async function startDemoUpstream(world: World, databaseUrl: string, faults: DemoFaults = {}): Promise<DemoUpstream> {
  const transport = await startTransportSimulator(world);
  const registry = await startRegistrySimulator(world);
  const credit = await startCreditSimulator(world);
  const exchange = await startExchangeSimulator(world, databaseUrl);
  // Faults the demo was asked to show (DEMO_FAULTS): the hub's sync must ride them out.
  transport.setFaults(faults.transport ?? {});
  registry.setFaults(faults.registry ?? {});
  credit.setFaults(faults.credit ?? {});
  exchange.setFaults(faults.exchange ?? {});
  const traffic = startLiveTraffic(exchange, world);
  return {
    upstream: {
      transport: { url: transport.url, token: transport.token },
      registry: { url: registry.url },
      credit: { url: credit.url, apiKey: credit.apiKey },
      exchange: { databaseUrl },
    },
    async close() {
      await traffic.stop();
      await Promise.all([transport.close(), registry.close(), credit.close()]);
      await exchange.close();
    },
  };
}
