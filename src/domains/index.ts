import type { EntityModel } from '../db/orm-options';
import type { DomainDescriptor } from '../read-kit/domain-descriptor';
import { caseTransferDomain } from './case-transfer';
import { checkpointDomain } from './checkpoint';
import { clueDomain } from './clue';
import { cooperationDomain } from './cooperation';
import { commonDomain } from './common/common.domain';
import { creditDomain } from './credit';
import { enforcementDomain } from './enforcement';
import { enterpriseDomain } from './enterprise';
import { inspectionDomain } from './inspection';
import { licenceDomain } from './licence';
import { practitionerDomain } from './practitioner';
import { riskGradeDomain } from './risk-grade';
import { vehicleDomain } from './vehicle';
import { watchDomain } from './watch';
import { weighingDomain } from './weighing';

/**
 * The hub's domains, as the composition is given them. A type's relation fields appear in the
 * schema in this order (type-graphql adds fields in the order they are declared).
 */
export const HUB_DOMAINS = [
  enterpriseDomain,
  vehicleDomain,
  checkpointDomain,
  creditDomain,
  practitionerDomain,
  enforcementDomain,
  licenceDomain,
  weighingDomain,
  clueDomain,
  riskGradeDomain,
  watchDomain,
  inspectionDomain,
  cooperationDomain,
  caseTransferDomain,
  commonDomain,
] as const;

/** The entities and embeddables of `domains`, as the database is opened with them (`openDatabase`). */
export function entityModelOf(domains: readonly DomainDescriptor[]): EntityModel {
  // No soft-delete filter: the ORM never reads rows; the read gateway hides soft-deleted ones.
  return { all: domains.flatMap((d) => d.entities) };
}
