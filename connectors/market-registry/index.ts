export { registryConnector, RegistryConnector, type RegistryConnectorOptions } from './registry-connector';
export { REGISTRY_STREAMS, type RegistryStream } from './registry-format';
