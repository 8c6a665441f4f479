import { Arg, Args, Ctx, Field, Mutation, ObjectType, Query, Resolver, Subscription } from 'type-graphql';
import type { EffectAudit } from '../../audit/effect-audit';
import { AccessDeniedError, ErrorCode, InvalidInputError, NotFoundError } from '../../errors';
import { optionalText } from '../../read-kit/arguments/identifier-args';
import { Classification, Classified } from '../../read-kit/fields/classification';
import { servedByTheLiveLayer, type LiveEvent, type LiveTopic } from '../../read-kit/live-event';
import { connectionType } from '../../read-kit/pagination';
import type { ReceiverAgreement } from '../../read-kit/receiver-agreement';
import type { RequestContext, Viewer } from '../../read-kit/request-context';
import { caseNumberArgument, officerText } from '../common/free-text';
import { LocalDate } from '../common/scalars';
import { AssistanceRequest } from './assistance-request.entity';
import { CLUE_SHARE_PROPERTIES, clueAsReceiverSees, EVIDENCE_SHARE_PROPERTIES } from './clue-share';
import { AssistanceStatus, CooperationKind } from './cooperation-codes';
import { calendarDate, MAX_ASSISTANCE_TEXT, MAX_JOINT_LINKS, MAX_JOINT_MEMBERS, receivedMessage } from './cooperation-content';
import { CooperationMessage } from './cooperation-message.entity';
import { CooperationMessagesArgs, CooperationPageArgs, RecognisedCreditDecisionsArgs, RecognisedInspectionResultsArgs } from './cooperation.args';
import { CooperationError } from './cooperation.errors';
import { CooperationRepository } from './cooperation.repository';
import type { CooperationWrites, CreditDecision, JointCaseState, PeerRef } from './cooperation.writes';
import { JointCase, type JointCaseLink } from './joint-case.entity';
import { RecognisedCreditDecision } from './recognised-credit-decision.entity';
import { RecognisedInspectionResult } from './recognised-inspection-result.entity';
import { InspectionRepository } from '../inspection';

/**
 * How a peer bureau reads what we send it: as its officers would read our hub, under their
 * agreement for cross-region enforcement. What we send is shaped by that agreement.
 */
export const PEER_READING = { role: 'officer', purpose: 'cross-region-enforcement' } as const;

/** What cooperation needs of the composition: the write side, the configured peers, the receivers' agreements. */
export interface CooperationServices {
  writes: CooperationWrites;
  /** The peer bureaus' hubs this hub is configured to reach (`PEERS`). */
  peers: readonly PeerRef[];
  /** What `agency`'s `role` may see under its agreement in force for `purpose`; null: none. */
  receiverAgreement(agency: string, role: string, purpose: string): ReceiverAgreement | null;
}

export interface CooperationContext extends RequestContext {
  /** Null where the hub has no cooperation write side (a schema built without one). */
  cooperation: CooperationServices | null;
  /** The request's audit event, written in the transaction of the change; null where access control is off. */
  effectAudit: EffectAudit | null;
  /** The outbox event a subscription delivery executes on; null over HTTP. */
  liveEvent: LiveEvent | null;
}

/** What a cooperation mutation answers: the record it made or moved. Read it through the queries for more, under your agreement. */
@ObjectType({ description: 'What a cooperation mutation made or moved: read it through the queries for the rest.', simpleResolvers: true })
export class CooperationChange {
  @Classified(Classification.INTERNAL)
  @Field({ description: 'The message (shareClue, shareCreditDecision), assistance request or joint case.' })
  id!: string;
}

/** What a hub answers a peer that delivered a message. */
@ObjectType({ description: 'A peer hub’s acknowledgement of a delivered message.', simpleResolvers: true })
export class PeerReceipt {
  @Classified(Classification.INTERNAL)
  @Field({ description: 'The message in the receiver’s inbox.' })
  messageId!: string;

  @Classified(Classification.INTERNAL)
  @Field({ description: 'It had been received before under the same idempotency key: nothing changed this time.' })
  duplicate!: boolean;
}

export const CooperationMessageConnection = connectionType(CooperationMessage, 'CooperationMessage');
export const AssistanceRequestConnection = connectionType(AssistanceRequest, 'AssistanceRequest');
export const JointCaseConnection = connectionType(JointCase, 'JointCase');
export const RecognisedCreditDecisionConnection = connectionType(RecognisedCreditDecision, 'RecognisedCreditDecision');
export const RecognisedInspectionResultConnection = connectionType(RecognisedInspectionResult, 'RecognisedInspectionResult');

/** A message event concerns the two agencies it passed between, no other. */
export const cooperationChangedTopic: LiveTopic = {
  field: 'cooperationChanged',
  eventKind: 'COOPERATION',
  accepts: (event, _args, viewer) => event.payload.localAgency === viewer.agency || event.payload.peerAgency === viewer.agency,
};

function requireViewer(ctx: CooperationContext): Viewer {
  if (!ctx.viewer) throw new AccessDeniedError(ErrorCode.FORBIDDEN, 'Cooperation needs an authenticated caller');
  return ctx.viewer;
}

function requireServices(ctx: CooperationContext, argument: string): CooperationServices {
  if (!ctx.cooperation) throw new InvalidInputError(argument, 'this hub has no peer cooperation');
  return ctx.cooperation;
}

/** The caller acts for this hub's own bureau: a peer's officer reading our hub cannot speak for us. */
function requireOwnOfficer(ctx: CooperationContext, services: CooperationServices): Viewer {
  const viewer = requireViewer(ctx);
  if (viewer.agency !== services.writes.hubAgency) {
    throw new AccessDeniedError(ErrorCode.FORBIDDEN, `Only ${services.writes.hubAgency} acts for this hub in cooperation with its peers`);
  }
  return viewer;
}

function requireText(argument: string, value: string): string {
  const text = optionalText(argument, value)?.trim() ?? '';
  if (!text) throw new InvalidInputError(argument, 'must not be empty');
  return text;
}

/** A configured peer by its id; anything else is BAD_USER_INPUT naming the peers there are. */
function peerById(services: CooperationServices, argument: string, id: string): PeerRef {
  const key = requireText(argument, id);
  const peer = services.peers.find((p) => p.id === key);
  if (!peer) {
    const known = services.peers.map((p) => p.id).join(', ') || 'none configured';
    throw new InvalidInputError(argument, `is not a peer bureau of this hub (peers: ${known})`);
  }
  return peer;
}

function receiverOf(services: CooperationServices, peer: PeerRef, argument: string): ReceiverAgreement {
  const receiver = services.receiverAgreement(peer.agency, PEER_READING.role, PEER_READING.purpose);
  if (!receiver) throw new InvalidInputError(argument, `${peer.agency} has no agreement in force with this bureau for ${PEER_READING.purpose}`);
  return receiver;
}

/** A case number the caller may see (its own row scope): one it may not is NOT_FOUND, as one that does not exist. */
async function visibleCase(ctx: CooperationContext, argument: string, value: string): Promise<string> {
  const number = caseNumberArgument(argument, value, true)!;
  const row = await ctx.reads.decisionRow('EnforcementCase', { caseNumber: number }, { properties: ['caseNumber'] });
  if (!row) throw new NotFoundError(`Case ${number}`);
  return number;
}

const dueDateOf = (value: string): string => {
  const date = calendarDate('dueDate', optionalText('dueDate', value)!.trim());
  const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
  if (date < today) throw new InvalidInputError('dueDate', 'must not be in the past (Beijing time)');
  return date;
};

/**
 * Yangtze Delta cooperation (长三角) with peer bureaus' hubs. The bureau's own officers share
 * clues, ask and answer assistance requests, open and link joint cases and send credit decisions
 * for recognition; each is audited in the transaction that queues its messages, and the delivery
 * (src/sync/peer-delivery.ts) carries them to the peer at least once, the peer keeping each once.
 * A peer's hub delivers through `receivePeerMessage`. Both parties read the outbox and inbox.
 */
@Resolver()
export class CooperationResolver {
  @Classified(Classification.INTERNAL)
  @Mutation(() => CooperationChange, {
    description:
      'Shares a clue you may see with a peer bureau, with its evidence, as that bureau’s agreement with us lets it see them (fields granted, masks applied, evidence outside its row scope withheld). Answers the outbox message.',
  })
  async shareClue(
    @Arg('peer', { description: 'The peer bureau’s id, e.g. shanghai.' }) peer: string,
    @Arg('clueId') clueId: string,
    @Ctx() ctx: CooperationContext,
  ): Promise<CooperationChange> {
    const services = requireServices(ctx, 'peer');
    const to = peerById(services, 'peer', peer);
    const viewer = requireOwnOfficer(ctx, services);
    const receiver = receiverOf(services, to, 'peer');
    const id = requireText('clueId', clueId);
    // Read as the caller may see it: a clue outside their divisions is not there for them.
    const row = await ctx.reads.decisionRow(
      'Clue',
      { id },
      {
        properties: CLUE_SHARE_PROPERTIES,
        related: { evidence: { type: 'ClueEvidence', on: [['id', 'clueId']], properties: EVIDENCE_SHARE_PROPERTIES } },
      },
    );
    if (!row) throw new NotFoundError(`Clue ${id}`);
    const content = clueAsReceiverSees(row, (row.evidence as unknown[][]) ?? [], receiver, to.agency);
    const messageId = await services.writes.shareClue(to, id, content, { agency: viewer.agency, subject: viewer.subject }, ctx.effectAudit);
    return { id: messageId };
  }

  @Classified(Classification.INTERNAL)
  @Mutation(() => CooperationChange, { description: 'Asks a peer bureau for assistance (协查) about a subject, by a due date. Answers the request.' })
  async requestAssistance(
    @Arg('peer') peer: string,
    @Arg('subject', { description: 'What it is about: a plate, a credit code or a case number (at most 128 characters).' }) subject: string,
    @Arg('question', { description: `What you ask, at most ${MAX_ASSISTANCE_TEXT} characters.` }) question: string,
    @Arg('dueDate', () => LocalDate, { description: 'By when (Beijing date, today or later).' }) dueDate: string,
    @Ctx() ctx: CooperationContext,
  ): Promise<CooperationChange> {
    const services = requireServices(ctx, 'peer');
    const to = peerById(services, 'peer', peer);
    const request = {
      subject: officerText('subject', subject, 128, true)!,
      question: officerText('question', question, MAX_ASSISTANCE_TEXT, true)!,
      dueDate: dueDateOf(dueDate),
    };
    const viewer = requireOwnOfficer(ctx, services);
    receiverOf(services, to, 'peer');
    const id = await services.writes.requestAssistance(to, request, { agency: viewer.agency, subject: viewer.subject }, ctx.effectAudit);
    return { id };
  }

  @Classified(Classification.INTERNAL)
  @Mutation(() => CooperationChange, { description: 'Answers an assistance request a peer bureau sent us; the answer goes back to it.' })
  async answerAssistance(
    @Arg('id') id: string,
    @Arg('answer', { description: `At most ${MAX_ASSISTANCE_TEXT} characters.` }) answer: string,
    @Ctx() ctx: CooperationContext,
  ): Promise<CooperationChange> {
    const services = requireServices(ctx, 'id');
    const key = requireText('id', id);
    const text = officerText('answer', answer, MAX_ASSISTANCE_TEXT, true)!;
    const viewer = requireOwnOfficer(ctx, services);
    // Only a request addressed to this bureau: one it sent, or none, is not there to answer.
    const row = await ctx.reads.decisionRow(
      'AssistanceRequest',
      { id: key, direction: 'INBOUND', assistingAgency: viewer.agency },
      {
        properties: ['requesterAgency', 'status'],
      },
    );
    if (!row) throw new NotFoundError(`Assistance request ${key}`);
    if (row.status !== AssistanceStatus.OPEN) {
      throw new CooperationError(ErrorCode.ILLEGAL_TRANSITION, `Assistance request ${key} is answered already`, {
        action: 'ANSWER_ASSISTANCE',
        status: row.status,
      });
    }
    const requester = services.peers.find((p) => p.agency === row.requesterAgency);
    if (!requester) throw new InvalidInputError('id', `the requester ${String(row.requesterAgency)} is no longer a peer of this hub`);
    await services.writes.answerAssistance(requester, key, text, { agency: viewer.agency, subject: viewer.subject }, ctx.effectAudit);
    return { id: key };
  }

  @Classified(Classification.INTERNAL)
  @Mutation(() => CooperationChange, {
    description: 'Opens a joint case (联合办案) led by your bureau with peer bureaus as members, linking cases of yours. Answers the joint case.',
  })
  async createJointCase(
    @Arg('title', { description: 'At most 200 characters.' }) title: string,
    @Arg('members', () => [String], { description: 'The peer bureaus’ ids, e.g. ["shanghai"].' }) members: string[],
    @Arg('caseNumbers', () => [String], { description: 'Cases of yours to link (ones you may see).' }) caseNumbers: string[],
    @Ctx() ctx: CooperationContext,
  ): Promise<CooperationChange> {
    const services = requireServices(ctx, 'members');
    const name = officerText('title', title, 200, true)!;
    if (members.length === 0 || members.length > MAX_JOINT_MEMBERS - 1)
      throw new InvalidInputError('members', `must name 1 to ${MAX_JOINT_MEMBERS - 1} peer bureaus`);
    if (caseNumbers.length > MAX_JOINT_LINKS) throw new InvalidInputError('caseNumbers', `must list at most ${MAX_JOINT_LINKS}`);
    const peers = [...new Set(members)].map((m) => peerById(services, 'members', m));
    for (const p of peers) receiverOf(services, p, 'members');
    const viewer = requireOwnOfficer(ctx, services);
    const numbers: string[] = [];
    for (const number of new Set(caseNumbers)) numbers.push(await visibleCase(ctx, 'caseNumbers', number));
    const id = await services.writes.createJointCase(name, peers, numbers, { agency: viewer.agency, subject: viewer.subject }, ctx.effectAudit);
    return { id };
  }

  @Classified(Classification.INTERNAL)
  @Mutation(() => CooperationChange, { description: 'Links a case of yours to a joint case your bureau is a member of; the other members are sent it.' })
  async linkJointCase(@Arg('id') id: string, @Arg('caseNumber') caseNumber: string, @Ctx() ctx: CooperationContext): Promise<CooperationChange> {
    const services = requireServices(ctx, 'id');
    const key = requireText('id', id);
    const viewer = requireOwnOfficer(ctx, services);
    const row = await ctx.reads.decisionRow('JointCase', { id: key }, { properties: ['id', 'title', 'leadAgency', 'members', 'linkedCases'] });
    if (!row || !(row.members as string[]).includes(viewer.agency)) throw new NotFoundError(`Joint case ${key}`);
    const number = await visibleCase(ctx, 'caseNumber', caseNumber);
    const state: JointCaseState = {
      id: key,
      title: String(row.title),
      leadAgency: String(row.leadAgency),
      members: row.members as string[],
      linkedCases: row.linkedCases as JointCaseLink[],
    };
    if (state.linkedCases.some((l) => l.agency === viewer.agency && l.caseNumber === number)) {
      throw new CooperationError(ErrorCode.ILLEGAL_TRANSITION, `Case ${number} is linked to joint case ${key} already`, { action: 'LINK_JOINT_CASE' });
    }
    const peersOf = (agencies: string[]) => services.peers.filter((p) => agencies.includes(p.agency));
    await services.writes.linkJointCase(state, number, peersOf, { agency: viewer.agency, subject: viewer.subject }, ctx.effectAudit);
    return { id: key };
  }

  @Classified(Classification.INTERNAL)
  @Mutation(() => CooperationChange, {
    description:
      'Sends one of our credit list entries to a peer bureau for recognition (信用互认), as far as its agreement covers credit list entries. Answers the outbox message.',
  })
  async shareCreditDecision(
    @Arg('peer') peer: string,
    @Arg('listEntryId', { description: 'The credit list entry (its source id).' }) listEntryId: string,
    @Ctx() ctx: CooperationContext,
  ): Promise<CooperationChange> {
    const services = requireServices(ctx, 'peer');
    const to = peerById(services, 'peer', peer);
    const viewer = requireOwnOfficer(ctx, services);
    const receiver = receiverOf(services, to, 'peer');
    const key = requireText('listEntryId', listEntryId);
    const row = await ctx.reads.decisionRow(
      'CreditListEntry',
      { sourceId: key },
      { properties: ['sourceId', 'subjectUscc', 'listType', 'reason', 'authority', 'listedOn'] },
    );
    if (!row) throw new NotFoundError(`Credit list entry ${key}`);
    const fields = ['subjectUscc', 'listType', 'reason', 'authority', 'listedOn'] as const;
    const seen = Object.fromEntries(fields.map((f) => [f, receiver.shape('CreditListEntry', f, row[f])]));
    const denied = fields.filter((f) => seen[f] === null);
    if (denied.length > 0) throw new InvalidInputError('peer', `${to.agency}'s agreement ${receiver.id} does not cover CreditListEntry.${denied.join(', ')}`);
    const decidedOn = row.listedOn instanceof Date ? row.listedOn.toISOString().slice(0, 10) : String(seen.listedOn!.value).slice(0, 10);
    const decision: CreditDecision = {
      id: key,
      creditCode: String(seen.subjectUscc!.value),
      listType: String(seen.listType!.value),
      reason: String(seen.reason!.value),
      authority: String(seen.authority!.value),
      decidedOn,
    };
    const messageId = await services.writes.shareCreditDecision(to, decision, { agency: viewer.agency, subject: viewer.subject }, ctx.effectAudit);
    return { id: messageId };
  }

  @Classified(Classification.INTERNAL)
  @Mutation(() => CooperationChange, {
    description:
      'Sends one of your published random-inspection results (its id, <task>/<credit code>) to a peer bureau to recognise (检查结果互认): what its publication shows, nothing more. Answers the outbox message.',
  })
  async shareInspectionResult(@Arg('peer') peer: string, @Arg('resultId') resultId: string, @Ctx() ctx: CooperationContext): Promise<CooperationChange> {
    const services = requireServices(ctx, 'peer');
    const to = peerById(services, 'peer', peer);
    const viewer = requireOwnOfficer(ctx, services);
    // Only what is published (PUBLIC fields) travels, so no agreement narrows it; one must still be in force with the peer.
    receiverOf(services, to, 'peer');
    const key = requireText('resultId', resultId);
    if (key.length > 128) throw new InvalidInputError('resultId', 'must be at most 128 characters');
    const result = await new InspectionRepository(ctx).publishedResult(key);
    if (!result) throw new NotFoundError(`Inspection result ${key}`);
    const messageId = await services.writes.shareInspectionResult(to, result, { agency: viewer.agency, subject: viewer.subject }, ctx.effectAudit);
    return { id: messageId };
  }

  @Classified(Classification.INTERNAL)
  @Mutation(() => PeerReceipt, {
    description:
      'A peer bureau’s hub delivers a message (its client-credentials token names its agency). Kept once per sender and idempotency key: a repeat answers duplicate and changes nothing.',
  })
  async receivePeerMessage(
    @Arg('idempotencyKey', { description: 'The sender’s message id.' }) idempotencyKey: string,
    @Arg('kind', () => CooperationKind) kind: CooperationKind,
    @Arg('subjectRef') subjectRef: string,
    @Arg('content', { description: 'The message, JSON.' }) content: string,
    @Ctx() ctx: CooperationContext,
  ): Promise<PeerReceipt> {
    const services = requireServices(ctx, 'idempotencyKey');
    const viewer = requireViewer(ctx);
    const key = requireText('idempotencyKey', idempotencyKey);
    if (key.length > 128) throw new InvalidInputError('idempotencyKey', 'must be at most 128 characters');
    const sender = services.peers.find((p) => p.agency === viewer.agency);
    if (!sender) throw new AccessDeniedError(ErrorCode.FORBIDDEN, `${viewer.agency} is not a peer bureau of this hub`);
    const message = receivedMessage(kind, subjectRef, content);
    return services.writes.receive(sender, key, message, ctx.effectAudit);
  }

  @Classified(Classification.INTERNAL)
  @Query(() => CooperationMessageConnection, {
    description: 'The outbox and inbox of cooperation with peer bureaus, newest first: the messages between your bureau and the others.',
  })
  cooperationMessages(@Args() args: CooperationMessagesArgs, @Ctx() ctx: CooperationContext) {
    const viewer = requireViewer(ctx);
    return new CooperationRepository(ctx).messagesOf(viewer.agency, args, args);
  }

  @Classified(Classification.INTERNAL)
  @Query(() => AssistanceRequestConnection, { description: 'Assistance requests (协查) your bureau asked or was asked, newest first.' })
  assistanceRequests(@Args() args: CooperationPageArgs, @Ctx() ctx: CooperationContext) {
    return new CooperationRepository(ctx).assistanceRequestsOf(requireViewer(ctx).agency, args);
  }

  @Classified(Classification.INTERNAL)
  @Query(() => JointCaseConnection, { description: 'Joint cases your bureau is a member of, newest first.' })
  jointCases(@Args() args: CooperationPageArgs, @Ctx() ctx: CooperationContext) {
    return new CooperationRepository(ctx).jointCasesOf(requireViewer(ctx).agency, args);
  }

  @Classified(Classification.INTERNAL)
  @Query(() => RecognisedCreditDecisionConnection, { description: 'Peer bureaus’ credit decisions recognised by your bureau (or sent by it), newest first.' })
  recognisedCreditDecisions(@Args() args: RecognisedCreditDecisionsArgs, @Ctx() ctx: CooperationContext) {
    const code = args.creditCode ? requireText('creditCode', args.creditCode) : null;
    return new CooperationRepository(ctx).recognisedCreditDecisionsOf(requireViewer(ctx).agency, code, args);
  }

  @Classified(Classification.INTERNAL)
  @Query(() => RecognisedInspectionResultConnection, {
    description: 'Peer bureaus’ published inspection results recognised by your bureau (or sent by it), newest first (检查结果互认).',
  })
  recognisedInspectionResults(@Args() args: RecognisedInspectionResultsArgs, @Ctx() ctx: CooperationContext) {
    const uscc = args.uscc ? requireText('uscc', args.uscc) : null;
    return new CooperationRepository(ctx).recognisedInspectionResultsOf(requireViewer(ctx).agency, uscc, args);
  }

  @Classified(Classification.INTERNAL)
  @Subscription(() => CooperationMessage, {
    nullable: true,
    subscribe: servedByTheLiveLayer,
    description:
      'Cooperation messages received from peer bureaus and outbox messages delivered, live over graphql-ws at /graphql: those between your bureau and another.',
  })
  async cooperationChanged(@Ctx() ctx: CooperationContext): Promise<CooperationMessage | null> {
    const event = ctx.liveEvent;
    if (!event || event.kind !== cooperationChangedTopic.eventKind || !ctx.viewer) return null;
    if (!cooperationChangedTopic.accepts(event, {}, ctx.viewer)) return null;
    return new CooperationRepository(ctx).messageById(String(event.payload.messageId));
  }
}
