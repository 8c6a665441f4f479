export { creditConnector, CreditConnector, type CreditConnectorOptions } from './credit-connector';
export { CREDIT_STREAMS, type CreditStream } from './credit-format';
