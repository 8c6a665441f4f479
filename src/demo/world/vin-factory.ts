import { vinCheckDigit } from '../../../connectors/contract/identifiers';
import { Random } from './random';
import { VehicleClass } from './vehicle-types';

/** World manufacturer identifiers by vehicle class (real-looking, not a register of manufacturers). */
const WMI: Record<VehicleClass, readonly string[]> = {
  CAR: ['LSV', 'LFV', 'LSG', 'LVG', 'LHG', 'LRW', 'LGX', 'LBV'],
  BUS: ['LZY', 'LKL', 'LA6'],
  HEAVY_TRUCK: ['LFW', 'LZZ', 'LZG', 'LGA'],
  MEDIUM_TRUCK: ['LFW', 'LGA', 'LJ1'],
  LIGHT_TRUCK: ['LJ1', 'LGA', 'LFN', 'LWL'],
  TRACTOR: ['LFW', 'LZZ', 'LZG'],
  TRAILER: ['LA9', 'L9M', 'LJR'],
};
/** ISO 3779 characters other than I, O, Q. */
const VIN_CHARS = '0123456789ABCDEFGHJKLMNPRSTUVWXYZ';
/** Model-year codes from 2001 (position 10). */
const YEAR_CODES = '123456789ABCDEFGHJKLMNPRSTVWXY';

export function modelYearCode(year: number): string {
  const code = YEAR_CODES[year - 2001];
  if (!code) throw new RangeError(`no model-year code for ${year}`);
  return code;
}

export class VinFactory {
  private readonly taken = new Set<string>();

  issue(rng: Random, vehicleClass: VehicleClass, modelYear: number): string {
    for (;;) {
      const body = rng.pick(WMI[vehicleClass]) + rng.chars(VIN_CHARS, 5) + '0' + modelYearCode(modelYear) + rng.chars(VIN_CHARS, 1) + rng.digits(6);
      const vin = body.slice(0, 8) + vinCheckDigit(body) + body.slice(9);
      if (!this.taken.has(vin)) {
        this.taken.add(vin);
        return vin;
      }
    }
  }
}
