import type { EntityManager } from '@mikro-orm/postgresql';
import type { ReadScope } from '../../db/read-scope';
import { findRowsByKeys, loadAlways } from '../../db/row-mapper';
import { OperatorLicence } from './licence.entity';

// Read whatever an operation selects: keys, and the references the hub's own resolvers follow.
loadAlways(OperatorLicence, ['number', 'holderUscc']);

/** Queries over operating licences. */
export class LicenceRepository {
  constructor(private readonly scope: ReadScope) {}

  private get em(): EntityManager {
    return this.scope.em;
  }

  findByHolders(usccs: readonly string[]): Promise<OperatorLicence[]> {
    return findRowsByKeys(this.scope, OperatorLicence, ['holderUscc'], usccs.map((u) => [u]), [['validTo', 'desc'], ['number', 'asc']]);
  }
}
