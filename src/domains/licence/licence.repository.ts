import type { EntityManager } from '@mikro-orm/postgresql';
import { OperatorLicence } from './licence.entity';

/** Queries over operating licences. */
export class LicenceRepository {
  constructor(private readonly em: EntityManager) {}

  findByHolders(usccs: readonly string[]): Promise<OperatorLicence[]> {
    return this.em.find(OperatorLicence, { holderUscc: { $in: [...usccs] } }, { orderBy: { validTo: 'desc', number: 'asc' } });
  }
}
