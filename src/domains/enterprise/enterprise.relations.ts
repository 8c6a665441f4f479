import { Classification } from '../../read-kit/fields/classification';
import { relation } from '../../read-kit/relations';
import { AbnormalOperation } from './abnormal-operation.entity';
import { Enterprise } from './enterprise.entity';
import type { EnterpriseContext } from './enterprise.resolver';

export const enterpriseRelations = [
  relation({
    on: () => Enterprise,
    field: 'abnormalOperations',
    returns: () => [AbnormalOperation],
    description: 'Abnormal-operation listings (经营异常名录), newest first.',
    classification: Classification.PUBLIC,
    parentKey: 'uscc',
    load: (ctx: EnterpriseContext, { uscc }) => ctx.loaders.enterprise.abnormalOperationsByUscc.load(uscc),
  }),
  relation({
    on: () => AbnormalOperation,
    field: 'enterprise',
    returns: () => Enterprise,
    nullable: true,
    description: 'The listed enterprise.',
    classification: Classification.PUBLIC,
    parentKey: 'uscc',
    load: (ctx: EnterpriseContext, { uscc }) => ctx.loaders.enterprise.byUscc.load(uscc),
  }),
];
