import type { ReadScope } from '../../read-kit/rows/read-scope';
import { loadAlways } from '../../read-kit/rows/projection';
import type { EnterpriseStatus, LicenceScope } from '../common/enums';
import { rowsOf } from '../../read-kit/rows/where';
import type { Ordering, Page } from '../../read-kit/pagination';
import { AbnormalOperation } from './abnormal-operation.entity';
import { Enterprise } from './enterprise.entity';

loadAlways(Enterprise, ['uscc']);
loadAlways(AbnormalOperation, ['sourceId', 'uscc']);

export interface EnterpriseFilter {
  divisionCode?: string | null;
  status?: EnterpriseStatus | null;
  nameContains?: string | null;
  licenceScope?: LicenceScope | null;
}

export type EnterpriseOrderName = 'NAME_ASC' | 'USCC_ASC' | 'ESTABLISHED_ON_DESC';

export const ENTERPRISE_ORDERINGS: Record<EnterpriseOrderName, Ordering<Enterprise>> = {
  NAME_ASC: { name: 'NAME_ASC', direction: 'asc', keys: [
    { property: 'name', column: 'name', type: 'text', value: (e) => e.name },
    { property: 'uscc', column: 'uscc', type: 'text', value: (e) => e.uscc }] },
  USCC_ASC: { name: 'USCC_ASC', direction: 'asc', keys: [
    { property: 'uscc', column: 'uscc', type: 'text', value: (e) => e.uscc }] },
  ESTABLISHED_ON_DESC: { name: 'ESTABLISHED_ON_DESC', direction: 'desc', keys: [
    { property: 'establishedOn', column: 'established_on', type: 'date', value: (e) => e.establishedOn },
    { property: 'uscc', column: 'uscc', type: 'text', value: (e) => e.uscc }] },
};

/** Queries over enterprises and their abnormal-operation listings. */
export class EnterpriseRepository {
  constructor(private readonly scope: ReadScope) {}

  findByUsccs(usccs: readonly string[]): Promise<Enterprise[]> {
    return this.scope.reads.byKeys(Enterprise, ['uscc'], usccs.map((u) => [u]));
  }

  findPage(filter: EnterpriseFilter, order: EnterpriseOrderName, first?: number | null, after?: string | null): Promise<Page<Enterprise>> {
    return this.scope.reads.page(Enterprise, {
      divisionCode: filter.divisionCode, status: filter.status, name: { contains: filter.nameContains },
      uscc: filter.licenceScope ? rowsOf('OperatorLicence', 'holderUscc', { scopes: { has: filter.licenceScope } }) : null,
    }, { ordering: ENTERPRISE_ORDERINGS[order], first, after });
  }

  findAbnormalOperationsByUsccs(usccs: readonly string[]): Promise<AbnormalOperation[]> {
    return this.scope.reads.byKeys(AbnormalOperation, ['uscc'], usccs.map((u) => [u]), [['listedOn', 'desc'], ['sourceId', 'asc']]);
  }
}
