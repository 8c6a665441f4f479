import { PlateColor } from '../../connectors/contract/canonical/codes';
import { InvalidInputError } from '../errors';
import type { HubContext } from './context';
import { requireCheckpointCode, requirePlate, requireUscc } from '../read-kit/arguments/identifier-args';
import { prefetchRelations } from '../read-kit/relations';
import { Checkpoint } from '../domains/checkpoint';
import { Enterprise } from '../domains/enterprise';
import { Vehicle } from '../domains/vehicle';

function text(value: unknown, argument: string): string {
  if (typeof value !== 'string') throw new InvalidInputError(argument, 'must be a string');
  return value;
}

/**
 * Counts each entity a reference resolves to, by its own type: the `_entities` field is of an
 * abstract type, so the audit cannot tell from the operation which agencies' records it returned.
 */
function counted<R>(typeName: string, resolve: (ref: R, ctx: HubContext) => Promise<unknown>) {
  return async (ref: R, ctx: HubContext) => {
    const entity = await resolve(ref, ctx);
    if (entity) ctx.access?.countResolved(typeName);
    return entity;
  };
}

/**
 * Federation `_entities` resolution: a router hands us keys, which are validated and normalised
 * like any argument, then resolved through the same per-request loaders as every other path,
 * so N representations cost one statement per type. Each is a lookup by key: the selected
 * relations it is enough for start with it.
 */
export const referenceResolvers = {
  Enterprise: {
    __resolveReference: counted('Enterprise', (ref: { uscc?: unknown }, ctx: HubContext) => {
      const uscc = requireUscc('representations.uscc', text(ref.uscc, 'representations.uscc'));
      prefetchRelations(ctx, Enterprise, { uscc });
      return ctx.loaders.enterprise.byUscc.load(uscc);
    }),
  },
  Vehicle: {
    __resolveReference: counted('Vehicle', async (ref: { plateNumber?: unknown; plateColor?: unknown }, ctx: HubContext) => {
      const plateNumber = requirePlate('representations.plateNumber', text(ref.plateNumber, 'representations.plateNumber'));
      const plateColor = text(ref.plateColor, 'representations.plateColor');
      if (!(Object.values(PlateColor) as string[]).includes(plateColor)) {
        throw new InvalidInputError('representations.plateColor', 'is not a PlateColor');
      }
      const key = { plateNumber, plateColor: plateColor as PlateColor };
      prefetchRelations(ctx, Vehicle, key);
      return ctx.loaders.vehicle.byKey.load(key);
    }),
  },
  Checkpoint: {
    __resolveReference: counted('Checkpoint', (ref: { code?: unknown }, ctx: HubContext) => {
      const code = requireCheckpointCode('representations.code', text(ref.code, 'representations.code'));
      prefetchRelations(ctx, Checkpoint, { code });
      return ctx.loaders.checkpoint.byCode.load(code);
    }),
  },
};
