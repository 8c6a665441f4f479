import { Classification } from '../../read-kit/fields/classification';
import { relation } from '../../read-kit/relations';
import { Enterprise } from '../enterprise';
import { Practitioner } from './practitioner.entity';
import type { PractitionerContext } from './practitioner.resolver';

export const practitionerRelations = [
  relation({
    on: () => Practitioner,
    field: 'employer',
    returns: () => Enterprise,
    nullable: true,
    description: 'The employer, when the hub knows it.',
    classification: Classification.PERSONAL,
    parentKey: 'employerUscc',
    load: (ctx: PractitionerContext, { employerUscc }) => ctx.loaders.enterprise.byUscc.load(employerUscc),
  }),
  relation({
    on: () => Enterprise,
    field: 'practitioners',
    returns: () => [Practitioner],
    description: 'Practitioners the enterprise employs.',
    classification: Classification.PERSONAL,
    parentKey: 'uscc',
    load: (ctx: PractitionerContext, { uscc }) => ctx.loaders.practitioner.byEmployer.load(uscc),
  }),
];
