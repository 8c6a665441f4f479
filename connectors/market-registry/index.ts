export { registryConnector, RegistryConnector, type RegistryConnectorOptions } from './registry-connector';
export { startRegistrySimulator, type RegistrySimulator } from './registry-simulator';
export { REGISTRY_STREAMS, type RegistryStream } from './registry-format';
