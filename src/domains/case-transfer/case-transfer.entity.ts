import { Entity, Index, Property } from '@mikro-orm/core';
import { ObjectType } from 'type-graphql';
import { Classification } from '../../read-kit/fields/classification';
import { MaskKind } from '../../read-kit/fields/masks';
import { SyncedEntity } from '../common/synced-entity';
import { PoliceSight, TransferAction, TransferStatus, TransferStep } from './case-transfer-codes';
import { Column, EnumColumn } from '../common/column';

/**
 * A transfer of an enforcement case to the police as a suspected crime (两法衔接 移送), hub-native
 * (provenance system HUB): prepared and submitted by the transport side, acknowledged and decided
 * by the police agency the crime catalogue names. One per case; a returned transfer is submitted
 * again, never replaced. Every change is a `CaseTransferEvent`.
 */
@Entity({ tableName: 'case_transfer' })
@Index({ properties: ['preparedAt', 'id'] })
@ObjectType({ description: 'A case transfer to the police (两法衔接): its packet, every step with its time, and the decision.', simpleResolvers: true })
export class CaseTransfer extends SyncedEntity {
  @Column('text', Classification.INTERNAL, { primary: true })
  id!: string;

  @Column('text', Classification.INTERNAL, { unique: true, description: 'The enforcement case transferred.' })
  caseNumber!: string;

  @Column('text', Classification.INTERNAL, { description: "The case's violation code, an entry of the crime catalogue." })
  violationCode!: string;

  @Column('text', Classification.INTERNAL, { description: 'The suspected charge, from the catalogue when the transfer was prepared.' })
  charge!: string;

  @Column('text', Classification.INTERNAL, { description: 'The version of the crime catalogue the packet was checked against.' })
  catalogueVersion!: string;

  @Column('text', Classification.INTERNAL, { description: "GB/T 2260 division handling the case (the transport side's jurisdiction)." })
  division!: string;

  @Column('text', Classification.INTERNAL, { description: 'The police agency it goes to.' })
  receivingAgency!: string;

  @Column('text', Classification.INTERNAL, { nullable: true, description: 'The police unit that signed for it (承办单位), once acknowledged.' })
  receivingUnit!: string | null;

  @EnumColumn(() => TransferStatus, Classification.INTERNAL)
  status!: TransferStatus;

  @Column('boolean', Classification.INTERNAL, { description: 'The transport side invited the police to consult before the transfer (案件会商, 提前介入).' })
  invited!: boolean;

  /** Generated from status and invitation (migration `case_transfer`): what the police row scopes test. */
  @EnumColumn(() => PoliceSight, Classification.INTERNAL)
  policeSight!: PoliceSight;

  @Column('timestamptz', Classification.INTERNAL)
  preparedAt!: Date;

  @Column('timestamptz', Classification.INTERNAL, { nullable: true })
  invitedAt!: Date | null;

  @Column('timestamptz', Classification.INTERNAL, { nullable: true, description: 'When it was (last) submitted.' })
  submittedAt!: Date | null;

  @Column('timestamptz', Classification.INTERNAL, { nullable: true })
  acknowledgedAt!: Date | null;

  @Column('timestamptz', Classification.INTERNAL, { nullable: true })
  decidedAt!: Date | null;

  @Column('text', Classification.PERSONAL, { nullable: true, mask: MaskKind.REDACT, description: '不立案 or 退回: why, as the police wrote it.' })
  decisionReason!: string | null;

  @Column('integer', Classification.INTERNAL, { description: 'Bumped by every change; pass it as expectedVersion to act only on what you saw.' })
  version!: number;
}

/** One change of a transfer, appended in the transaction that made it (hub-native); each is an outbox event. */
@Entity({ tableName: 'case_transfer_event' })
@ObjectType({ description: 'A step of a case transfer: who did what, from which status to which, when.', simpleResolvers: true })
export class CaseTransferEvent extends SyncedEntity {
  @Column('bigint', Classification.INTERNAL, { primary: true })
  id!: string;

  @Property({ type: 'text' })
  transferId!: string;

  @EnumColumn(() => TransferAction, Classification.INTERNAL)
  action!: TransferAction;

  @EnumColumn(() => TransferStatus, Classification.INTERNAL, { nullable: true })
  fromStatus!: TransferStatus | null;

  @EnumColumn(() => TransferStatus, Classification.INTERNAL)
  toStatus!: TransferStatus;

  @EnumColumn(() => TransferStep, Classification.INTERNAL, { nullable: true, description: 'OVERDUE: the step past its days.' })
  overdueStep!: TransferStep | null;

  @Column('text', Classification.INTERNAL, { nullable: true, description: "The acting officer's agency; null for the hub's own (OVERDUE)." })
  actorAgency!: string | null;

  @Column('text', Classification.PERSONAL, { nullable: true, mask: MaskKind.REDACT })
  actorSubject!: string | null;

  @Column('text', Classification.PERSONAL, { nullable: true, mask: MaskKind.REDACT, description: 'DECIDE: the reason; ATTACH: the evidence item.' })
  note!: string | null;

  @Column('timestamptz', Classification.INTERNAL)
  at!: Date;
}

/** A document of a transfer's packet, by reference (the document stays in the case system). */
@Entity({ tableName: 'case_transfer_document' })
@ObjectType({ description: 'A document of a transfer packet, by reference, for an evidence item of the catalogue.', simpleResolvers: true })
export class CaseTransferDocument extends SyncedEntity {
  @Column('bigint', Classification.INTERNAL, { primary: true })
  id!: string;

  @Property({ type: 'text' })
  transferId!: string;

  @Column('text', Classification.INTERNAL, { description: "The catalogue's evidence item it is for." })
  evidenceCode!: string;

  @Column('text', Classification.INTERNAL, {
    description: 'Where the document is kept (e.g. dms://苏E交执〔2026〕00012号/现场笔录.pdf) and its SHA-256 if given.',
  })
  documentRef!: string;

  @Column('text', Classification.INTERNAL)
  attachedByAgency!: string;

  @Column('timestamptz', Classification.INTERNAL)
  attachedAt!: Date;
}
