export { transportConnector, TransportConnector, type TransportConnectorOptions } from './transport-connector';
export { startTransportSimulator, type TransportSimulator } from './transport-simulator';
export { TRANSPORT_STREAMS, type TransportStream } from './transport-format';
