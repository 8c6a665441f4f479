import type { ReadScope } from '../../read-kit/rows/read-scope';
import { OperatorLicence } from './licence.entity';

/** Queries over operating licences. */
export class LicenceRepository {
  constructor(private readonly scope: ReadScope) {}

  findByHolders(usccs: readonly string[]): Promise<OperatorLicence[]> {
    return this.scope.reads.byKeys(
      OperatorLicence,
      ['holderUscc'],
      usccs.map((u) => [u]),
      [
        ['validTo', 'desc'],
        ['number', 'asc'],
      ],
    );
  }
}
