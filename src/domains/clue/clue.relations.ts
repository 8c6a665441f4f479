import { Int, type ClassType } from 'type-graphql';
import { Classification } from '../../read-kit/fields/classification';
import { graphqlTypeName } from '../../read-kit/fields/type-name';
import { arg, relation } from '../../read-kit/relations';
import { MAX_PAGE_SIZE, pageSize } from '../../read-kit/pagination';
import { CheckpointCapture } from '../checkpoint';
import { EnforcementCase } from '../enforcement';
import { OperatorLicence } from '../licence';
import { Vehicle } from '../vehicle';
import { Weighing } from '../weighing';
import { CAPTURE_DERIVED_KINDS, ClueEvidenceKind, ClueKind } from './clue-codes';
import { ClueEvent } from './clue-event.entity';
import { ClueEvidence } from './clue-evidence.entity';
import { Clue } from './clue.entity';
import type { ClueContext } from './clue.resolver';

/*
 * A capture's time and place are police data, readable only under a case bound to its vehicle
 * (CheckpointCapture, in every agreement). What the hub derived from captures must not tell them
 * to a caller who could not read the capture: a clue of a capture-derived kind shows its kind,
 * subject, severity, division, status and window (what its district needs to act on it), but no
 * first or last seen; CAPTURE evidence shows no observation time. Both are read, when the
 * caller's agreement and case allow, through the evidence's `capture`. They are declared as
 * fields of the parent row here, so that the kind they depend on is read with every row.
 */
const timeUnlessCaptured = (field: 'firstSeen' | 'lastSeen', description: string) =>
  relation({
    on: () => Clue,
    field,
    returns: () => Date,
    nullable: true,
    description: `${description} Null for the kinds whose evidence is checkpoint captures (${[...CAPTURE_DERIVED_KINDS].join(', ')}): capture times are read through \`evidence { capture }\`, under a case.`,
    classification: Classification.INTERNAL,
    parentKey: ['kind', field],
    load: (_ctx: ClueContext, key) => (CAPTURE_DERIVED_KINDS.has(key.kind as ClueKind) ? null : (key[field] as Date)),
  });

/**
 * The type of the record each kind of evidence names: a clue is the hub's, but its evidence is
 * the providing agency's data (weighings, cases, certificates and licences the transport bureau's,
 * captures the police's), and a read of it is credited to that agency in the audit event and its
 * data-access report, as a read of the record itself would be.
 */
const EVIDENCE_RECORD_TYPE: Readonly<Record<ClueEvidenceKind, ClassType>> = {
  [ClueEvidenceKind.WEIGHING]: Weighing,
  [ClueEvidenceKind.CAPTURE]: CheckpointCapture,
  [ClueEvidenceKind.CASE]: EnforcementCase,
  [ClueEvidenceKind.CERTIFICATE]: Vehicle,
  [ClueEvidenceKind.LICENCE]: OperatorLicence,
};

/** Credits the evidence a request reads to the agencies whose records it names (`ReadCredit`). */
function creditedTo(ctx: ClueContext, evidence: readonly ClueEvidence[]): readonly ClueEvidence[] {
  const perType = new Map<ClassType, number>();
  for (const e of evidence) perType.set(EVIDENCE_RECORD_TYPE[e.kind], (perType.get(EVIDENCE_RECORD_TYPE[e.kind]) ?? 0) + 1);
  for (const [type, records] of perType) ctx.access?.creditRead?.(graphqlTypeName(type), records);
  return evidence;
}

/*
 * Evidence is read through the relations of the types it names, so each record reaches the caller
 * only as the caller's own agreement allows: its fields granted, masks, row scopes, and for
 * captures the case rules. A record outside them resolves to null; the evidence entry stays.
 */
export const clueRelations = [
  timeUnlessCaptured('firstSeen', 'When the earliest evidence was observed.'),
  timeUnlessCaptured('lastSeen', 'When the latest evidence was observed.'),
  relation({
    on: () => ClueEvidence,
    field: 'observedAt',
    returns: () => Date,
    nullable: true,
    description:
      'When the record was observed: measured, the case occurred, or the rule read the certificate or licence. Null for CAPTURE evidence: read the capture (`capture { capturedAt checkpointCode }`), under a case.',
    classification: Classification.INTERNAL,
    parentKey: ['kind', 'observedAt'],
    load: (_ctx: ClueContext, key) => (key.kind === ClueEvidenceKind.CAPTURE ? null : key.observedAt),
  }),
  relation({
    on: () => Clue,
    field: 'vehicle',
    returns: () => Vehicle,
    nullable: true,
    description: 'The vehicle, when the subject is one the hub knows and the caller may see.',
    classification: Classification.INTERNAL,
    parentKey: ['plateNumber', 'plateColor'],
    load: (ctx: ClueContext, key) => ctx.loaders.vehicle.byKey.load(key),
  }),
  relation({
    on: () => Clue,
    field: 'evidence',
    returns: () => [ClueEvidence],
    description: 'The records it rests on, latest first.',
    classification: Classification.INTERNAL,
    parentKey: ['id'],
    args: { first: arg<number>(() => Int, { defaultValue: 20, description: `How many, at most ${MAX_PAGE_SIZE}.` }) },
    load: async (ctx: ClueContext, key, { first }) => creditedTo(ctx, await ctx.loaders.clue.evidence(pageSize(first, 'first')).load(key.id)),
  }),
  relation({
    on: () => Clue,
    field: 'history',
    returns: () => [ClueEvent],
    description: 'Its status changes, oldest first.',
    classification: Classification.INTERNAL,
    parentKey: ['id'],
    args: { first: arg<number>(() => Int, { defaultValue: 50, description: `How many, at most ${MAX_PAGE_SIZE}.` }) },
    load: (ctx: ClueContext, key, { first }) => ctx.loaders.clue.history(pageSize(first, 'first')).load(key.id),
  }),
  relation({
    on: () => Clue,
    field: 'linkedCase',
    returns: () => EnforcementCase,
    nullable: true,
    description: 'The case it was linked to, once the transport system has sent it (status LINKED) and as far as the caller may see it.',
    classification: Classification.INTERNAL,
    parentKey: ['linkedCaseNumber'],
    load: (ctx: ClueContext, key) => ctx.loaders.enforcement.byCaseNumber.load(key.linkedCaseNumber),
  }),
  relation({
    on: () => ClueEvidence,
    field: 'weighing',
    returns: () => Weighing,
    nullable: true,
    description: 'WEIGHING evidence: the weighing.',
    classification: Classification.INTERNAL,
    parentKey: ['weighingSourceId'],
    load: (ctx: ClueContext, key) => ctx.loaders.weighing.bySourceId.load(key.weighingSourceId),
  }),
  relation({
    on: () => ClueEvidence,
    field: 'capture',
    returns: () => CheckpointCapture,
    nullable: true,
    description: 'CAPTURE evidence: the checkpoint capture (police-restricted: read under a case, as any capture).',
    classification: Classification.POLICE_RESTRICTED,
    parentKey: ['captureSerial', 'capturedAt'],
    load: (ctx: ClueContext, key) => ctx.loaders.checkpoint.captureByKey.load({ sourceSerial: key.captureSerial, capturedAt: key.capturedAt }),
  }),
  relation({
    on: () => ClueEvidence,
    field: 'enforcementCase',
    returns: () => EnforcementCase,
    nullable: true,
    description: 'CASE evidence: the case.',
    classification: Classification.INTERNAL,
    parentKey: ['caseNumber'],
    load: (ctx: ClueContext, key) => ctx.loaders.enforcement.byCaseNumber.load(key.caseNumber),
  }),
  relation({
    on: () => ClueEvidence,
    field: 'vehicle',
    returns: () => Vehicle,
    nullable: true,
    description: 'CERTIFICATE evidence: the vehicle whose road transport certificate it is, as it is now.',
    classification: Classification.INTERNAL,
    parentKey: ['plateNumber', 'plateColor'],
    load: (ctx: ClueContext, key) => ctx.loaders.vehicle.byKey.load(key),
  }),
];
