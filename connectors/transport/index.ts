export { transportConnector, TransportConnector, type TransportConnectorOptions } from './transport-connector';
export { TRANSPORT_STREAMS, type TransportStream } from './transport-format';
