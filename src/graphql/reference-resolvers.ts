import type { PlateColor } from '../canonical/codes';
import type { HubContext } from './context';

/**
 * Federation `_entities` resolution: a router hands us keys and we resolve them through the
 * same per-request loaders as every other path, so N representations cost one statement.
 */
export const referenceResolvers = {
  Enterprise: {
    __resolveReference: (ref: { uscc: string }, ctx: HubContext) => ctx.loaders.enterprise.byUscc.load(ref.uscc),
  },
  Vehicle: {
    __resolveReference: (ref: { plateNumber: string; plateColor: PlateColor }, ctx: HubContext) =>
      ctx.loaders.vehicle.byKey.load({ plateNumber: ref.plateNumber, plateColor: ref.plateColor }),
  },
  Checkpoint: {
    __resolveReference: (ref: { code: string }, ctx: HubContext) => ctx.loaders.checkpoint.byCode.load(ref.code),
  },
};
