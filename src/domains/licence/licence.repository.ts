import type { ReadScope } from '../../read-kit/rows/read-scope';
import { loadAlways } from '../../read-kit/rows/projection';
import { OperatorLicence } from './licence.entity';

loadAlways(OperatorLicence, ['number', 'holderUscc']);

/** Queries over operating licences. */
export class LicenceRepository {
  constructor(private readonly scope: ReadScope) {}

  findByHolders(usccs: readonly string[]): Promise<OperatorLicence[]> {
    return this.scope.reads.byKeys(OperatorLicence, ['holderUscc'], usccs.map((u) => [u]), [['validTo', 'desc'], ['number', 'asc']]);
  }
}
