export { exchangeConnector, ExchangeConnector, type ExchangeConnectorOptions } from './exchange-connector';
export { EXCHANGE_SCHEMA, VENDOR_PLATE_COLOURS } from './exchange-format';
