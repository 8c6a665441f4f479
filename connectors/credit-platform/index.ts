export { creditConnector, CreditConnector, type CreditConnectorOptions } from './credit-connector';
export { startCreditSimulator, type CreditSimulator } from './credit-simulator';
export { CREDIT_STREAMS, type CreditStream } from './credit-format';
