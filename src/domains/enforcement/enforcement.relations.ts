import { Classification } from '../../read-kit/fields/classification';
import { relation } from '../../read-kit/relations';
import { Enterprise } from '../enterprise';
import { Practitioner } from '../practitioner';
import { Vehicle } from '../vehicle';
import { EnforcementCase } from './enforcement-case.entity';
import type { EnforcementContext } from './enforcement.resolver';

export const enforcementRelations = [
  relation({
    on: () => EnforcementCase,
    field: 'partyEnterprise',
    returns: () => Enterprise,
    nullable: true,
    description: 'The enterprise party, if any.',
    classification: Classification.INTERNAL,
    parentKey: 'partyUscc',
    load: (ctx: EnforcementContext, { partyUscc }) => ctx.loaders.enterprise.byUscc.load(partyUscc),
  }),
  relation({
    on: () => EnforcementCase,
    field: 'partyPractitioner',
    returns: () => Practitioner,
    nullable: true,
    description: 'The individual party, if any.',
    classification: Classification.PERSONAL,
    parentKey: 'partyIdNumber',
    load: (ctx: EnforcementContext, { partyIdNumber }) => ctx.loaders.practitioner.byIdNumber.load(partyIdNumber),
  }),
  relation({
    on: () => EnforcementCase,
    field: 'vehicle',
    returns: () => Vehicle,
    nullable: true,
    description: 'The vehicle involved, if any.',
    classification: Classification.INTERNAL,
    parentKey: ['vehiclePlateNumber', 'vehiclePlateColor'],
    load: (ctx: EnforcementContext, c) => ctx.loaders.vehicle.byKey.load({ plateNumber: c.vehiclePlateNumber, plateColor: c.vehiclePlateColor }),
  }),
  relation({
    on: () => Enterprise,
    field: 'enforcementCases',
    returns: () => [EnforcementCase],
    description: 'Cases with the enterprise as a party, newest first.',
    classification: Classification.INTERNAL,
    parentKey: 'uscc',
    load: (ctx: EnforcementContext, { uscc }) => ctx.loaders.enforcement.byPartyUscc.load(uscc),
  }),
  relation({
    on: () => Vehicle,
    field: 'enforcementCases',
    returns: () => [EnforcementCase],
    description: 'Cases involving the vehicle, newest first.',
    classification: Classification.INTERNAL,
    parentKey: ['plateNumber', 'plateColor'],
    load: (ctx: EnforcementContext, key) => ctx.loaders.enforcement.byVehicle.load(key),
  }),
  relation({
    on: () => Practitioner,
    field: 'enforcementCases',
    returns: () => [EnforcementCase],
    description: 'Cases with the practitioner as a party, newest first.',
    classification: Classification.PERSONAL,
    parentKey: 'idNumber',
    load: (ctx: EnforcementContext, { idNumber }) => ctx.loaders.enforcement.byPartyIdNumber.load(idNumber),
  }),
];
