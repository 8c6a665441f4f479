import { orderings, type OrderName } from '../../read-kit/pagination';
import { Vehicle } from './vehicle.entity';

/** How a list of vehicles can be ordered; plate number and colour, together unique, end each. */
export const vehicleOrderings = orderings(() => Vehicle, 'VehicleOrder', {
  PLATE_ASC: {
    direction: 'asc',
    keys: [
      { property: 'plateNumber', column: 'plate_number', type: 'text', value: (v) => v.plateNumber },
      { property: 'plateColor', column: 'plate_color', type: 'text', value: (v) => v.plateColor },
    ],
  },
  RATED_TOTAL_MASS_DESC: {
    direction: 'desc',
    keys: [
      { property: 'ratedTotalMassKg', column: 'rated_total_mass_kg', type: 'int', value: (v) => v.ratedTotalMassKg },
      { property: 'plateNumber', column: 'plate_number', type: 'text', value: (v) => v.plateNumber },
      { property: 'plateColor', column: 'plate_color', type: 'text', value: (v) => v.plateColor },
    ],
  },
});

export type VehicleOrderName = OrderName<typeof vehicleOrderings>;
