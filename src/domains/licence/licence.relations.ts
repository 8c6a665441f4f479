import { Classification } from '../../read-kit/fields/classification';
import type { RequestContext } from '../../read-kit/request-context';
import { relation } from '../../read-kit/relations';
import type { EnterpriseLoaders } from '../enterprise';
import type { LicenceLoaders } from './licence.loaders';
import { Enterprise } from '../enterprise';
import { OperatorLicence } from './licence.entity';

/** What Licence's relations read: the loaders of this domain and of the ones its fields follow. */
export type LicenceContext = RequestContext<{ enterprise: EnterpriseLoaders; licence: LicenceLoaders }>;

export const licenceRelations = [
  relation({
    on: () => OperatorLicence,
    field: 'holder',
    returns: () => Enterprise,
    nullable: true,
    description: 'The holder, when the hub knows it.',
    classification: Classification.PUBLIC,
    parentKey: 'holderUscc',
    load: (ctx: LicenceContext, { holderUscc }) => ctx.loaders.enterprise.byUscc.load(holderUscc),
  }),
  relation({
    on: () => Enterprise,
    field: 'licences',
    returns: () => [OperatorLicence],
    description: 'Operating licences held, latest expiry first.',
    classification: Classification.PUBLIC,
    parentKey: 'uscc',
    load: (ctx: LicenceContext, { uscc }) => ctx.loaders.licence.byHolder.load(uscc),
  }),
];
