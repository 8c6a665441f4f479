import type { ReadScope } from '../../read-kit/rows/read-scope';
import { findRowsByKeys } from '../../read-kit/rows/find-rows-by-keys';
import { OperatorLicence } from './licence.entity';

/** Queries over operating licences. */
export class LicenceRepository {
  constructor(private readonly scope: ReadScope) {}

  findByHolders(usccs: readonly string[]): Promise<OperatorLicence[]> {
    return findRowsByKeys(this.scope, OperatorLicence, ['holderUscc'], usccs.map((u) => [u]), [['validTo', 'desc'], ['number', 'asc']]);
  }
}
