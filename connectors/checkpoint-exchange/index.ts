export { exchangeConnector, ExchangeConnector, type ExchangeConnectorOptions } from './exchange-connector';
export { startExchangeSimulator, startLiveTraffic, type ExchangeSimulator } from './exchange-simulator';
export { EXCHANGE_SCHEMA, VENDOR_PLATE_COLOURS } from './exchange-format';
