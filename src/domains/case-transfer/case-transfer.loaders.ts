import { groupLoader, uniqueLoader } from '../../read-kit/loaders';
import type { CaseTransferRepository } from './case-transfer.repository';

/** Per-request loaders of transfers (by id, by case number), their history and their documents. */
export function createCaseTransferLoaders(repo: CaseTransferRepository) {
  return {
    byId: uniqueLoader(
      (ids: readonly string[]) => repo.findByIds(ids),
      (t) => t.id,
    ),
    byCaseNumber: uniqueLoader(
      (numbers: readonly string[]) => repo.findByCaseNumbers(numbers),
      (t) => t.caseNumber,
    ),
    history: groupLoader(
      (ids: readonly string[]) => repo.findHistory(ids),
      (e) => e.transferId,
    ),
    documents: groupLoader(
      (items: ReadonlyArray<{ transferId: string; evidenceCode: string }>) => repo.findDocuments(items),
      (d) => ({ transferId: d.transferId, evidenceCode: d.evidenceCode }),
      (k) => `${k.transferId}|${k.evidenceCode}`,
    ),
  };
}

export type CaseTransferLoaders = ReturnType<typeof createCaseTransferLoaders>;
