import { registerEnumType } from 'type-graphql';

/** What a clue says is wrong: one kind per supervision rule of the rule file (`schema/rules/clue-rules.json`). */
export enum ClueKind {
  /** 违法超限运输: a weighing over the GB 1589 limit with no case that day. */
  OVERLOAD = 'OVERLOAD',
  /** A vehicle with an expired or revoked certificate (or its operator's licence) still on the road. */
  EXPIRED_OR_REVOKED_BUT_ACTIVE = 'EXPIRED_OR_REVOKED_BUT_ACTIVE',
  /** 非法营运: commercial operation without an operating certificate. */
  ILLEGAL_OPERATION = 'ILLEGAL_OPERATION',
  /** 套牌: one plate in two places, or on the wrong kind of vehicle. */
  CLONED_PLATE = 'CLONED_PLATE',
  /** 有案不移: a case that looks criminal, not transferred to the police in time. */
  UNTRANSFERRED_CRIMINAL = 'UNTRANSFERRED_CRIMINAL',
}

/** How urgent a clue is, lowest first (bands per rule in the rule file). */
export enum ClueSeverity {
  LOW = 'LOW',
  MEDIUM = 'MEDIUM',
  HIGH = 'HIGH',
  CRITICAL = 'CRITICAL',
}

/** Where a clue stands in its district's work. */
export enum ClueStatus {
  /** Raised by a rule, no one has taken it yet. */
  OPEN = 'OPEN',
  ASSIGNED = 'ASSIGNED',
  /** An officer confirmed the finding. */
  VERIFIED = 'VERIFIED',
  DISMISSED = 'DISMISSED',
  /** Tied to an enforcement case. */
  LINKED = 'LINKED',
}

/** What a clue is about, named by its natural key (`subjectKey`). */
export enum ClueSubjectType {
  /** `plateNumber/plateColor`, e.g. `苏E12345/YELLOW`. */
  VEHICLE = 'VEHICLE',
  /** Unified social credit code. */
  ENTERPRISE = 'ENTERPRISE',
  /** Resident ID number. */
  PRACTITIONER = 'PRACTITIONER',
}

/** What a piece of evidence refers to. */
export enum ClueEvidenceKind {
  WEIGHING = 'WEIGHING',
  CAPTURE = 'CAPTURE',
  CASE = 'CASE',
  /** The vehicle's road transport certificate, as the rule saw it. */
  CERTIFICATE = 'CERTIFICATE',
  /** An operator licence of the vehicle's owner, as the rule saw it. */
  LICENCE = 'LICENCE',
}

/** How a rule groups evidence in time (Beijing calendar): one clue per subject, kind and window. */
export enum ClueWindow {
  DAY = 'DAY',
  WEEK = 'WEEK',
  MONTH = 'MONTH',
}

registerEnumType(ClueKind, { name: 'ClueKind', description: 'What a supervision clue says is wrong (one kind per rule of the rule file).' });
registerEnumType(ClueSeverity, { name: 'ClueSeverity', description: 'How urgent a clue is, lowest first.' });
registerEnumType(ClueStatus, { name: 'ClueStatus' });
registerEnumType(ClueSubjectType, { name: 'ClueSubjectType' });
registerEnumType(ClueEvidenceKind, { name: 'ClueEvidenceKind' });
