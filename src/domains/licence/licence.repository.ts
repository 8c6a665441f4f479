import type { ReadScope } from '../../db/read-scope';
import { findRowsByKeys } from '../../db/find-rows-by-keys';
import { loadAlways } from '../../db/projection';
import { OperatorLicence } from './licence.entity';

loadAlways(OperatorLicence, ['number', 'holderUscc']);

/** Queries over operating licences. */
export class LicenceRepository {
  constructor(private readonly scope: ReadScope) {}

  findByHolders(usccs: readonly string[]): Promise<OperatorLicence[]> {
    return findRowsByKeys(this.scope, OperatorLicence, ['holderUscc'], usccs.map((u) => [u]), [['validTo', 'desc'], ['number', 'asc']]);
  }
}
