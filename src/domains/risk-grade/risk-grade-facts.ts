import type { ClassType } from 'type-graphql';
import { Clue } from '../clue';
import { CreditListEntry, CreditRating } from '../credit';
import { EnforcementCase } from '../enforcement';
import { AbnormalOperation } from '../enterprise';
import { OperatorLicence } from '../licence';
import { Vehicle } from '../vehicle';
import { Weighing } from '../weighing';
import { RiskFactor } from './risk-grade-codes';

/**
 * What each factor's deduction summarises: the fields (`Type.field`) a caller must be granted to
 * see it, and the type of the records it counts. A deduction says how many of an enterprise's
 * cases, list entries or weighings there are and what they cost it: a caller whose agreement does
 * not grant those facts must not learn them from the grade. The agreement grants the grade and
 * `RiskGrade.deductions` (schema/policy/agreements.json); each deduction is then shown only where
 * the same agreement grants every field its factor names here.
 */
export const FACTOR_FACTS: Readonly<Record<RiskFactor, { fields: readonly string[]; records: ClassType }>> = {
  [RiskFactor.CREDIT_RATING]: { fields: ['Enterprise.creditRatings', 'CreditRating.grade'], records: CreditRating },
  [RiskFactor.CREDIT_LIST]: { fields: ['Enterprise.creditListEntries', 'CreditListEntry.listType'], records: CreditListEntry },
  [RiskFactor.CASES]: {
    fields: ['Enterprise.enforcementCases', 'EnforcementCase.penaltyAmountYuan', 'EnforcementCase.transferredToPolice'],
    records: EnforcementCase,
  },
  [RiskFactor.OVERLOADS]: { fields: ['Enterprise.vehicles', 'Vehicle.weighings', 'Weighing.overloadRatio'], records: Weighing },
  [RiskFactor.ABNORMAL_OPERATION]: { fields: ['Enterprise.abnormalOperations', 'AbnormalOperation.listedOn'], records: AbnormalOperation },
  [RiskFactor.EXPIRED_LICENCES]: { fields: ['Enterprise.licences', 'OperatorLicence.status'], records: OperatorLicence },
  [RiskFactor.EXPIRED_CERTIFICATES]: { fields: ['Enterprise.vehicles', 'Vehicle.transportCertificateStatus'], records: Vehicle },
  [RiskFactor.OPEN_CLUES]: { fields: ['Query.clues', 'Clue.severity'], records: Clue },
};
