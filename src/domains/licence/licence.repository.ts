import type { EntityManager } from '@mikro-orm/postgresql';
import { findRowsByKeys } from '../../db/row-mapper';
import { OperatorLicence } from './licence.entity';

/** Queries over operating licences. */
export class LicenceRepository {
  constructor(private readonly em: EntityManager) {}

  findByHolders(usccs: readonly string[]): Promise<OperatorLicence[]> {
    return findRowsByKeys(this.em, OperatorLicence, ['holderUscc'], usccs.map((u) => [u]), [['validTo', 'desc'], ['number', 'asc']]);
  }
}
