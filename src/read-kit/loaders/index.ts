export { groupLoader, uniqueLoader } from './keyed-loaders';
export { vehicleKeyString, type VehicleKey } from './vehicle-key';
export { loaderPerArgs } from './loader-per-args';
