import { registerEnumType } from 'type-graphql';

/** An enterprise's risk grade (分类分级), best first: the band of the rule file its score falls in. */
export enum RiskGradeLetter {
  A = 'A',
  B = 'B',
  C = 'C',
  D = 'D',
}

/** What a deduction from an enterprise's score is for: one factor of the rule file each. */
export enum RiskFactor {
  /** The latest year's credit rating of the Jiangsu credit platform. */
  CREDIT_RATING = 'CREDIT_RATING',
  /** Entries on the credit platform's lists (serious dishonesty, joint sanctions…), not removed. */
  CREDIT_LIST = 'CREDIT_LIST',
  /** Enforcement cases where the enterprise is the party, in the look-back window, by severity. */
  CASES = 'CASES',
  /** Weighings of its vehicles over their limit in the look-back window, per vehicle of its fleet. */
  OVERLOADS = 'OVERLOADS',
  /** Abnormal-operation listings (经营异常名录), not removed. */
  ABNORMAL_OPERATION = 'ABNORMAL_OPERATION',
  /** Operator licences suspended or revoked, or expired with none in force. */
  EXPIRED_LICENCES = 'EXPIRED_LICENCES',
  /** Vehicles of its fleet whose road transport certificate is expired or revoked. */
  EXPIRED_CERTIFICATES = 'EXPIRED_CERTIFICATES',
  /** Supervision clues about it, its vehicles or its cases that are still being acted on. */
  OPEN_CLUES = 'OPEN_CLUES',
}

registerEnumType(RiskGradeLetter, { name: 'RiskGradeLetter', description: 'A risk grade (分类分级), best first: A, B, C, D.' });
registerEnumType(RiskFactor, { name: 'RiskFactor', description: 'What a deduction from a risk score is for (one factor of the rule file).' });
