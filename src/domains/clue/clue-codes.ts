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

/**
 * The kinds whose evidence times are checkpoint capture times (their first and last seen are the
 * first and last offending capture). Captures are police data, read only under a case: a clue of
 * these kinds shows its window, not when or where the vehicle was captured (see clue.relations.ts).
 */
export const CAPTURE_DERIVED_KINDS: ReadonlySet<ClueKind> = new Set([
  ClueKind.EXPIRED_OR_REVOKED_BUT_ACTIVE,
  ClueKind.ILLEGAL_OPERATION,
  ClueKind.CLONED_PLATE,
]);

/** How urgent a clue is, lowest first (bands per rule in the rule file). */
export enum ClueSeverity {
  LOW = 'LOW',
  MEDIUM = 'MEDIUM',
  HIGH = 'HIGH',
  CRITICAL = 'CRITICAL',
}

/**
 * Where a clue stands in its district's work; which action moves it where is `CLUE_TRANSITIONS`
 * (clue-transitions.ts). Only an OPEN clue is ever withdrawn by the derivation (its grounds
 * vanished): once an officer has acted on it, it stays.
 */
export enum ClueStatus {
  /** Raised by a rule, no one has taken it yet. */
  OPEN = 'OPEN',
  /** Given to an officer of its division (`assignedTo`). */
  ASSIGNED = 'ASSIGNED',
  /** An officer confirmed the finding. */
  VERIFIED = 'VERIFIED',
  /** Closed without a case, for a reason of `ClueDismissalReason`. */
  DISMISSED = 'DISMISSED',
  /** Tied to a case number the transport system has not sent yet: confirmed when that case syncs. */
  LINKED_PENDING = 'LINKED_PENDING',
  /** Tied to an enforcement case the hub holds (`linkedCase`). */
  LINKED = 'LINKED',
}

/** What moved a clue from one status to another (a `ClueEvent`). */
export enum ClueAction {
  ASSIGN = 'ASSIGN',
  VERIFY = 'VERIFY',
  DISMISS = 'DISMISS',
  LINK = 'LINK',
  /** The hub itself: the linked case arrived from the transport system (or was already there). */
  CONFIRM_LINK = 'CONFIRM_LINK',
}

/** Why a clue was dismissed: a closed list, with free text beside it. */
export enum ClueDismissalReason {
  /** The rule fired on data that does not show a violation (a misread plate, a faulty scale). */
  FALSE_POSITIVE = 'FALSE_POSITIVE',
  /** Another clue or case already covers it. */
  DUPLICATE = 'DUPLICATE',
  /** What the hub holds is not enough to act on. */
  INSUFFICIENT_EVIDENCE = 'INSUFFICIENT_EVIDENCE',
  /** Another authority (another district, the police, another province) deals with it. */
  HANDLED_ELSEWHERE = 'HANDLED_ELSEWHERE',
  /** The permit, exemption or circumstance that makes it lawful was shown (e.g. a 大件运输 permit). */
  LAWFUL_EXCEPTION = 'LAWFUL_EXCEPTION',
  /** None of these: the note must say why. */
  OTHER = 'OTHER',
}

/** What a clue is about, named by its natural key (`subjectKey`). */
export enum ClueSubjectType {
  /** `plateNumber/plateColor`, e.g. `苏E12345/YELLOW`. */
  VEHICLE = 'VEHICLE',
  /** Unified social credit code. */
  ENTERPRISE = 'ENTERPRISE',
  /** A case number: a case whose party is a person (whose ID number a clue never carries). */
  CASE = 'CASE',
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
registerEnumType(ClueStatus, { name: 'ClueStatus', description: "Where a clue stands in its district's work." });
registerEnumType(ClueAction, { name: 'ClueAction', description: 'What moved a clue from one status to another.' });
registerEnumType(ClueDismissalReason, { name: 'ClueDismissalReason', description: 'Why a clue was dismissed (with a note; OTHER needs one).' });
registerEnumType(ClueSubjectType, { name: 'ClueSubjectType' });
registerEnumType(ClueEvidenceKind, { name: 'ClueEvidenceKind' });
