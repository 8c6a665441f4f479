import type { EntityManager } from '@mikro-orm/postgresql';
import type { ReadScope } from '../../read-kit/rows/read-scope';
import { findRowsByKeys } from '../../read-kit/rows/find-rows-by-keys';
import { loadAlways } from '../../read-kit/rows/projection';
import type { EnterpriseStatus, LicenceScope } from '../common/enums';
import { escapeLike } from '../../db/escape-like';
import { paginate, type Ordering, type Page } from '../../read-kit/pagination';
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

  private get em(): EntityManager {
    return this.scope.em;
  }

  findByUsccs(usccs: readonly string[]): Promise<Enterprise[]> {
    return findRowsByKeys(this.scope, Enterprise, ['uscc'], usccs.map((u) => [u]));
  }

  findPage(filter: EnterpriseFilter, order: EnterpriseOrderName, first?: number | null, after?: string | null): Promise<Page<Enterprise>> {
    const qb = this.em.createQueryBuilder(Enterprise, 'e').where({ deletedAt: null });
    if (filter.divisionCode) qb.andWhere({ divisionCode: filter.divisionCode });
    if (filter.status) qb.andWhere({ status: filter.status });
    if (filter.nameContains) qb.andWhere({ name: { $like: `%${escapeLike(filter.nameContains)}%` } });
    if (filter.licenceScope) {
      qb.andWhere('e.uscc in (select l.holder_uscc from operator_licence l where l.deleted_at is null and ? = any(l.scopes))', [filter.licenceScope]);
    }
    return paginate(this.scope, qb, { ordering: ENTERPRISE_ORDERINGS[order], first, after }, Enterprise);
  }

  findAbnormalOperationsByUsccs(usccs: readonly string[]): Promise<AbnormalOperation[]> {
    return findRowsByKeys(this.scope, AbnormalOperation, ['uscc'], usccs.map((u) => [u]), [['listedOn', 'desc'], ['sourceId', 'asc']]);
  }
}
