import type { EntityManager } from '@mikro-orm/postgresql';
import type { ReadScope } from '../../read-kit/rows/read-scope';
import { findRowsByKeys } from '../../read-kit/rows/find-rows-by-keys';
import type { EnterpriseStatus, LicenceScope } from '../common/enums';
import { escapeLike } from '../../db/escape-like';
import { paginate, type Page } from '../../read-kit/pagination';
import { AbnormalOperation } from './abnormal-operation.entity';
import { Enterprise } from './enterprise.entity';
import { enterpriseOrderings, type EnterpriseOrderName } from './enterprise.orderings';

export interface EnterpriseFilter {
  divisionCode?: string | null;
  status?: EnterpriseStatus | null;
  nameContains?: string | null;
  licenceScope?: LicenceScope | null;
}

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
    return paginate(this.scope, qb, { ordering: enterpriseOrderings.ordering(order), first, after }, Enterprise);
  }

  findAbnormalOperationsByUsccs(usccs: readonly string[]): Promise<AbnormalOperation[]> {
    return findRowsByKeys(this.scope, AbnormalOperation, ['uscc'], usccs.map((u) => [u]), [['listedOn', 'desc'], ['sourceId', 'asc']]);
  }
}
