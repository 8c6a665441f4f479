import { domain } from '../../read-kit/domain-descriptor';
import { CaseTransfer, CaseTransferDocument, CaseTransferEvent } from './case-transfer.entity';
import { createCaseTransferLoaders } from './case-transfer.loaders';
import { caseTransferOrderings } from './case-transfer.orderings';
import { caseTransferRelations } from './case-transfer.relations';
import { CaseTransferRepository } from './case-transfer.repository';
import { CaseTransferResolver, caseTransferChangedTopic } from './case-transfer.resolver';

export { CaseTransfer, CaseTransferDocument, CaseTransferEvent };
export { PoliceSight, TransferAction, TransferDecision, TransferStatus, TransferStep } from './case-transfer-codes';
export { CrimeCatalogue, CrimeCatalogueEntry, CrimeCatalogueError, loadCrimeCatalogue, parseCrimeCatalogue } from './crime-catalogue';
export { CaseTransferError } from './case-transfer.errors';
export { CaseTransferWrites } from './case-transfer.writes';
export type { CaseTransferContext } from './case-transfer.resolver';
export type { CaseTransferLoaders } from './case-transfer.loaders';

/**
 * 两法衔接: transfers of enforcement cases to the police as suspected crimes, hub-native records
 * (provenance system HUB) checked against the crime catalogue (`schema/rules/crime-catalogue.json`),
 * moved by audited mutations and announced live (`Subscription.caseTransferChanged`).
 */
export const caseTransferDomain = domain({
  name: 'caseTransfer',
  entities: [CaseTransfer, CaseTransferEvent, CaseTransferDocument],
  resolvers: [CaseTransferResolver],
  loaders: (scope) => createCaseTransferLoaders(new CaseTransferRepository(scope)),
  relations: caseTransferRelations,
  orderings: [caseTransferOrderings],
  liveTopics: [caseTransferChangedTopic],
});
