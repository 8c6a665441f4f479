/**
 * The agency whose system each type's records come from (shared/reference/agencies.md): the
 * provider a data-access report is written for.
 */
export const SOURCE_AGENCY_OF_TYPE: Readonly<Record<string, string>> = {
  Enterprise: 'suzhou-amr',
  AbnormalOperation: 'suzhou-amr',
  OperatorLicence: 'suzhou-transport',
  Vehicle: 'suzhou-transport',
  Practitioner: 'suzhou-transport',
  EnforcementCase: 'suzhou-transport',
  Weighing: 'suzhou-transport',
  Checkpoint: 'suzhou-psb',
  CheckpointCapture: 'suzhou-psb',
  CreditRating: 'jiangsu-credit',
  CreditListEntry: 'jiangsu-credit',
};
