import type { PlateColor } from '../../../connectors/contract/canonical/codes';

/** A vehicle's identity: plate number and plate colour together. */
export interface VehicleKey {
  plateNumber: string;
  plateColor: PlateColor;
}

export const vehicleKeyString = (k: VehicleKey): string => `${k.plateNumber}|${k.plateColor}`;
