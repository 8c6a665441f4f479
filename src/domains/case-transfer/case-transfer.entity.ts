import { Entity, Enum, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, Int, ObjectType } from 'type-graphql';
import { Classification, Classified } from '../../read-kit/fields/classification';
import { MaskKind } from '../../read-kit/fields/masks';
import { SyncedEntity } from '../common/synced-entity';
import { PoliceSight, TransferAction, TransferStatus, TransferStep } from './case-transfer-codes';

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
  @PrimaryKey({ type: 'text' })
  @Classified(Classification.INTERNAL)
  @Field()
  id!: string;

  @Property({ type: 'text', unique: true })
  @Classified(Classification.INTERNAL)
  @Field({ description: 'The enforcement case transferred.' })
  caseNumber!: string;

  @Property({ type: 'text' })
  @Classified(Classification.INTERNAL)
  @Field({ description: "The case's violation code, an entry of the crime catalogue." })
  violationCode!: string;

  @Property({ type: 'text' })
  @Classified(Classification.INTERNAL)
  @Field({ description: 'The suspected charge, from the catalogue when the transfer was prepared.' })
  charge!: string;

  @Property({ type: 'text' })
  @Classified(Classification.INTERNAL)
  @Field({ description: 'The version of the crime catalogue the packet was checked against.' })
  catalogueVersion!: string;

  @Property({ type: 'text' })
  @Classified(Classification.INTERNAL)
  @Field({ description: "GB/T 2260 division handling the case (the transport side's jurisdiction)." })
  division!: string;

  @Property({ type: 'text' })
  @Classified(Classification.INTERNAL)
  @Field({ description: 'The police agency it goes to.' })
  receivingAgency!: string;

  @Property({ type: 'text', nullable: true })
  @Classified(Classification.INTERNAL)
  @Field(() => String, { nullable: true, description: 'The police unit that signed for it (承办单位), once acknowledged.' })
  receivingUnit!: string | null;

  @Enum({ items: () => TransferStatus })
  @Classified(Classification.INTERNAL)
  @Field(() => TransferStatus)
  status!: TransferStatus;

  @Property({ type: 'boolean' })
  @Classified(Classification.INTERNAL)
  @Field({ description: 'The transport side invited the police to consult before the transfer (案件会商, 提前介入).' })
  invited!: boolean;

  /** Generated from status and invitation (migration `case_transfer`): what the police row scopes test. */
  @Enum({ items: () => PoliceSight })
  @Classified(Classification.INTERNAL)
  @Field(() => PoliceSight)
  policeSight!: PoliceSight;

  @Property({ type: 'timestamptz' })
  @Classified(Classification.INTERNAL)
  @Field()
  preparedAt!: Date;

  @Property({ type: 'timestamptz', nullable: true })
  @Classified(Classification.INTERNAL)
  @Field(() => Date, { nullable: true })
  invitedAt!: Date | null;

  @Property({ type: 'timestamptz', nullable: true })
  @Classified(Classification.INTERNAL)
  @Field(() => Date, { nullable: true, description: 'When it was (last) submitted.' })
  submittedAt!: Date | null;

  @Property({ type: 'timestamptz', nullable: true })
  @Classified(Classification.INTERNAL)
  @Field(() => Date, { nullable: true })
  acknowledgedAt!: Date | null;

  @Property({ type: 'timestamptz', nullable: true })
  @Classified(Classification.INTERNAL)
  @Field(() => Date, { nullable: true })
  decidedAt!: Date | null;

  @Property({ type: 'text', nullable: true })
  @Classified(Classification.PERSONAL, MaskKind.REDACT)
  @Field(() => String, { nullable: true, description: '不立案 or 退回: why, as the police wrote it.' })
  decisionReason!: string | null;

  @Property({ type: 'integer' })
  @Classified(Classification.INTERNAL)
  @Field(() => Int, { description: 'Bumped by every change; pass it as expectedVersion to act only on what you saw.' })
  version!: number;
}

/** One change of a transfer, appended in the transaction that made it (hub-native); each is an outbox event. */
@Entity({ tableName: 'case_transfer_event' })
@ObjectType({ description: 'A step of a case transfer: who did what, from which status to which, when.', simpleResolvers: true })
export class CaseTransferEvent extends SyncedEntity {
  @PrimaryKey({ type: 'bigint' })
  @Classified(Classification.INTERNAL)
  @Field()
  id!: string;

  @Property({ type: 'text' })
  transferId!: string;

  @Enum({ items: () => TransferAction })
  @Classified(Classification.INTERNAL)
  @Field(() => TransferAction)
  action!: TransferAction;

  @Enum({ items: () => TransferStatus, nullable: true })
  @Classified(Classification.INTERNAL)
  @Field(() => TransferStatus, { nullable: true })
  fromStatus!: TransferStatus | null;

  @Enum({ items: () => TransferStatus })
  @Classified(Classification.INTERNAL)
  @Field(() => TransferStatus)
  toStatus!: TransferStatus;

  @Enum({ items: () => TransferStep, nullable: true })
  @Classified(Classification.INTERNAL)
  @Field(() => TransferStep, { nullable: true, description: 'OVERDUE: the step past its days.' })
  overdueStep!: TransferStep | null;

  @Property({ type: 'text', nullable: true })
  @Classified(Classification.INTERNAL)
  @Field(() => String, { nullable: true, description: "The acting officer's agency; null for the hub's own (OVERDUE)." })
  actorAgency!: string | null;

  @Property({ type: 'text', nullable: true })
  @Classified(Classification.PERSONAL, MaskKind.REDACT)
  @Field(() => String, { nullable: true })
  actorSubject!: string | null;

  @Property({ type: 'text', nullable: true })
  @Classified(Classification.PERSONAL, MaskKind.REDACT)
  @Field(() => String, { nullable: true, description: 'DECIDE: the reason; ATTACH: the evidence item.' })
  note!: string | null;

  @Property({ type: 'timestamptz' })
  @Classified(Classification.INTERNAL)
  @Field()
  at!: Date;
}

/** A document of a transfer's packet, by reference (the document stays in the case system). */
@Entity({ tableName: 'case_transfer_document' })
@ObjectType({ description: 'A document of a transfer packet, by reference, for an evidence item of the catalogue.', simpleResolvers: true })
export class CaseTransferDocument extends SyncedEntity {
  @PrimaryKey({ type: 'bigint' })
  @Classified(Classification.INTERNAL)
  @Field()
  id!: string;

  @Property({ type: 'text' })
  transferId!: string;

  @Property({ type: 'text' })
  @Classified(Classification.INTERNAL)
  @Field({ description: "The catalogue's evidence item it is for." })
  evidenceCode!: string;

  @Property({ type: 'text' })
  @Classified(Classification.INTERNAL)
  @Field({ description: 'Where the document is kept (e.g. dms://苏E交执〔2026〕00012号/现场笔录.pdf) and its SHA-256 if given.' })
  documentRef!: string;

  @Property({ type: 'text' })
  @Classified(Classification.INTERNAL)
  @Field()
  attachedByAgency!: string;

  @Property({ type: 'timestamptz' })
  @Classified(Classification.INTERNAL)
  @Field()
  attachedAt!: Date;
}
