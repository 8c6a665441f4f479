import { Int } from 'type-graphql';
import { Classification } from '../../read-kit/fields/classification';
import { arg, relation } from '../../read-kit/relations';
import { MAX_PAGE_SIZE, pageSize } from '../../read-kit/pagination';
import { CheckpointCapture } from '../checkpoint';
import { EnforcementCase } from '../enforcement';
import { Vehicle } from '../vehicle';
import { Weighing } from '../weighing';
import { ClueEvent } from './clue-event.entity';
import { ClueEvidence } from './clue-evidence.entity';
import { Clue } from './clue.entity';
import type { ClueContext } from './clue.resolver';

/*
 * Evidence is read through the relations of the types it names, so each record reaches the caller
 * only as the caller's own agreement allows: its fields granted, masks, row scopes, and for
 * captures the case rules. A record outside them resolves to null; the evidence entry stays.
 */
export const clueRelations = [
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
    load: (ctx: ClueContext, key, { first }) => ctx.loaders.clue.evidence(pageSize(first, 'first')).load(key.id),
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
