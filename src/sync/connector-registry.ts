import type { Connector, ConnectorDefinition, RereadQuarantined } from '../../connectors/contract';
import { exchangeConnector } from '../../connectors/checkpoint-exchange';
import { creditConnector } from '../../connectors/credit-platform';
import { registryConnector } from '../../connectors/market-registry';
import { transportConnector } from '../../connectors/transport';
import { SourceSystem } from '../../connectors/contract/canonical/codes';
import type { UpstreamConfig } from '../config';

/** A connector definition and how its settings are read from the hub's configuration (null: not configured). */
interface Registered {
  rereadQuarantined: ConnectorDefinition<unknown>['rereadQuarantined'];
  createFrom(upstream: UpstreamConfig): Connector | null;
}

function registered<S>(definition: ConnectorDefinition<S>, settingsOf: (upstream: UpstreamConfig) => S | null): Registered {
  return {
    rereadQuarantined: definition.rereadQuarantined,
    createFrom: (upstream) => {
      const settings = settingsOf(upstream);
      return settings === null ? null : definition.create(settings);
    },
  };
}

/** Every upstream system's connector (a Record, so a system without one does not compile). */
const CONNECTORS: Record<SourceSystem, Registered> = {
  [SourceSystem.TRANSPORT]: registered(transportConnector, ({ transport }) => transport && { baseUrl: transport.url, token: transport.token }),
  [SourceSystem.MARKET_REGISTRY]: registered(registryConnector, ({ registry }) => registry && { baseUrl: registry.url }),
  [SourceSystem.CREDIT_PLATFORM]: registered(creditConnector, ({ credit }) => credit && { baseUrl: credit.url, apiKey: credit.apiKey }),
  [SourceSystem.CHECKPOINT_EXCHANGE]: registered(exchangeConnector, ({ exchange }) => exchange && { databaseUrl: exchange.databaseUrl }),
};

/** The connectors of the upstream systems the configuration names; the caller closes them. */
export function connectorsFromConfig(config: { upstream: UpstreamConfig }): Map<SourceSystem, Connector> {
  const connectors = new Map<SourceSystem, Connector>();
  for (const system of Object.values(SourceSystem)) {
    const connector = CONNECTORS[system].createFrom(config.upstream);
    if (connector) connectors.set(system, connector);
  }
  return connectors;
}

/** The stream's re-read-quarantined hook, or null when its quarantined records are re-read by a FULL read. */
export function rereadHookOf(system: SourceSystem, stream: string): RereadQuarantined | null {
  return Object.hasOwn(CONNECTORS[system].rereadQuarantined, stream) ? CONNECTORS[system].rereadQuarantined[stream] : null;
}
