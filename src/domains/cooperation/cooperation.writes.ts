import { createHash, randomUUID } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import type { EffectAudit } from '../../audit/effect-audit';
import { inTransaction } from '../../db/transaction';
import { ErrorCode, NotFoundError } from '../../errors';
import { canonicalJson } from '../../canonical-json';
import { AssistanceStatus, CooperationDirection, CooperationKind } from './cooperation-codes';
import { CooperationError } from './cooperation.errors';
import type { JointCaseLink } from './joint-case.entity';

/** A peer bureau's hub as this hub addresses it: its id in the configuration and the agency that runs it. */
export interface PeerRef {
  id: string;
  agency: string;
}

/** Who acts: the officer's agency and token subject. */
export interface CooperationActor {
  agency: string;
  subject: string;
}

/** What a write answers: the record it made or moved, and the outbox messages it queued. */
export interface Written<T> {
  record: T;
  messageIds: string[];
}

/** A received message, its content already checked for its kind (`cooperation-content.ts`). */
export type Received =
  | { kind: CooperationKind.CLUE_SHARED; subjectRef: string; content: Record<string, unknown> }
  | { kind: CooperationKind.ASSISTANCE_REQUESTED; subjectRef: string; content: AssistanceAsked }
  | { kind: CooperationKind.ASSISTANCE_ANSWERED; subjectRef: string; content: AssistanceAnswered }
  | { kind: CooperationKind.JOINT_CASE; subjectRef: string; content: JointCaseState }
  | { kind: CooperationKind.CREDIT_DECISION; subjectRef: string; content: CreditDecision }
  | { kind: CooperationKind.INSPECTION_RESULT; subjectRef: string; content: InspectionResultShared };

export interface AssistanceAsked {
  requestId: string;
  subject: string;
  question: string;
  dueDate: string;
}

export interface AssistanceAnswered {
  requestId: string;
  answer: string;
}

export interface JointCaseState {
  id: string;
  title: string;
  leadAgency: string;
  members: string[];
  linkedCases: JointCaseLink[];
}

export interface CreditDecision {
  id: string;
  creditCode: string;
  listType: string;
  reason: string;
  authority: string;
  decidedOn: string;
}

/** A published inspection result as its publication shows it (公示: nothing personal, no findings). */
export interface InspectionResultShared {
  /** The sender's result id, `<task>/<credit code>`. */
  id: string;
  uscc: string;
  enterpriseName: string;
  itemCodes: string[];
  inspectedOn: string;
  outcome: string;
}

const hashOf = (values: unknown): string => createHash('sha256').update(canonicalJson(values)).digest('hex');

/** The provenance columns of a row made now. */
const PROVENANCE = `provenance_system, provenance_record_id, provenance_source_updated_at, provenance_synced_at, provenance_content_hash`;

/** What this hub's officers write (and the outbox) is hub-native. */
const HUB = 'HUB';
/**
 * What a peer's hub sent (the inbox row, its assistance request, a joint case it opened, its
 * credit decision) has that peer's bureau as its system of record: `PEER:<agency>`.
 */
export const peerProvenance = (agency: string): string => `PEER:${agency}`;

/**
 * The write side of cooperation. Each change is one transaction that appends the request's audit
 * event first (as the clue workflow does), then the record and the outbox messages that carry it
 * to the peers; a refusal rolls all of it back. `queued` is told the messages once they are
 * committed (the delivery queue), and never fails the change: a message the queue did not take is
 * found PENDING by the delivery's sweep.
 */
export class CooperationWrites {
  constructor(
    private readonly pool: Pool,
    /** The agency that runs this hub. */
    readonly hubAgency: string,
    private readonly queued: (messageIds: string[]) => void = () => undefined,
  ) {}

  private async write<T>(audit: EffectAudit | null, work: (client: PoolClient) => Promise<Written<T>>): Promise<T> {
    const written = await inTransaction(this.pool, async (client) => {
      await audit?.appendWithin(client);
      return work(client);
    });
    audit?.committed();
    if (written.messageIds.length > 0) this.queued(written.messageIds);
    return written.record;
  }

  /** Queues one outbound message to `peer` in the transaction of `client`; its id is its idempotency key. */
  private async queue(
    client: PoolClient,
    peer: PeerRef,
    kind: CooperationKind,
    subjectRef: string,
    content: unknown,
    actor: CooperationActor | null,
  ): Promise<string> {
    const id = randomUUID();
    const text = canonicalJson(content);
    await client.query(
      `insert into cooperation_message (id, direction, kind, local_agency, peer_agency, peer_id, parties, idempotency_key, subject_ref, content,
         status, attempts, actor_subject, created_at, ${PROVENANCE})
       values ($1, 'OUTBOUND', $2, $3, $4, $5, array[$3, $4]::text[], $1, $6, $7, 'PENDING', 0, $8, now(), 'HUB', $1, now(), now(), $9)`,
      [id, kind, this.hubAgency, peer.agency, peer.id, subjectRef, text, actor?.subject ?? null, hashOf([kind, peer.agency, subjectRef, text])],
    );
    return id;
  }

  /** Shares a clue (its content shaped by the receiver's agreement already) with `peer`. */
  shareClue(peer: PeerRef, clueId: string, content: Record<string, unknown>, actor: CooperationActor, audit: EffectAudit | null): Promise<string> {
    return this.write(audit, async (client) => {
      const id = await this.queue(client, peer, CooperationKind.CLUE_SHARED, clueId, content, actor);
      return { record: id, messageIds: [id] };
    });
  }

  /** Asks `peer` for assistance: the request is kept here (OUTBOUND) and sent. Answers its id. */
  requestAssistance(
    peer: PeerRef,
    request: { subject: string; question: string; dueDate: string },
    actor: CooperationActor,
    audit: EffectAudit | null,
  ): Promise<string> {
    return this.write(audit, async (client) => {
      const id = randomUUID();
      await this.insertAssistance(client, id, CooperationDirection.OUTBOUND, this.hubAgency, peer.agency, request, HUB);
      const asked: AssistanceAsked = { requestId: id, ...request };
      const messageId = await this.queue(client, peer, CooperationKind.ASSISTANCE_REQUESTED, id, asked, actor);
      return { record: id, messageIds: [messageId] };
    });
  }

  /**
   * Answers an assistance request a peer sent this hub (INBOUND, still OPEN, addressed to this
   * hub's agency); the answer goes back to the requester. Answered already: ILLEGAL_TRANSITION.
   */
  answerAssistance(requester: PeerRef, requestId: string, answer: string, actor: CooperationActor, audit: EffectAudit | null): Promise<string> {
    return this.write(audit, async (client) => {
      const { rowCount } = await client.query(
        `update assistance_request set status = 'ANSWERED', answer = $3, answered_at = now(), version = version + 1, provenance_source_updated_at = now()
         where id = $1 and direction = 'INBOUND' and requester_agency = $2 and assisting_agency = $4 and status = 'OPEN' and deleted_at is null`,
        [requestId, requester.agency, answer, this.hubAgency],
      );
      if (rowCount === 0) {
        throw new CooperationError(ErrorCode.ILLEGAL_TRANSITION, `Assistance request ${requestId} is answered already`, { action: 'ANSWER_ASSISTANCE' });
      }
      const answered: AssistanceAnswered = { requestId, answer };
      const messageId = await this.queue(client, requester, CooperationKind.ASSISTANCE_ANSWERED, requestId, answered, actor);
      return { record: requestId, messageIds: [messageId] };
    });
  }

  /** Opens a joint case led by this hub's agency with `members` (peers), linking its own cases; every member is sent it. */
  createJointCase(title: string, members: PeerRef[], caseNumbers: string[], actor: CooperationActor, audit: EffectAudit | null): Promise<string> {
    return this.write(audit, async (client) => {
      const state: JointCaseState = {
        id: randomUUID(),
        title,
        leadAgency: this.hubAgency,
        members: [this.hubAgency, ...members.map((m) => m.agency)],
        linkedCases: caseNumbers.map((caseNumber) => ({ agency: this.hubAgency, caseNumber })),
      };
      await this.upsertJointCase(client, state, HUB);
      const messageIds: string[] = [];
      for (const member of members) messageIds.push(await this.queue(client, member, CooperationKind.JOINT_CASE, state.id, state, actor));
      return { record: state.id, messageIds };
    });
  }

  /**
   * Links one of this hub's cases to a joint case it is a member of, and sends the joint case as
   * it now stands to the other members (`peersOf` names their hubs). Not a member: NOT_FOUND.
   */
  linkJointCase(
    jointCase: JointCaseState,
    caseNumber: string,
    peersOf: (agencies: string[]) => PeerRef[],
    actor: CooperationActor,
    audit: EffectAudit | null,
  ): Promise<string> {
    return this.write(audit, async (client) => {
      const state: JointCaseState = { ...jointCase, linkedCases: [...jointCase.linkedCases, { agency: this.hubAgency, caseNumber }] };
      const merged = await this.upsertJointCase(client, state, HUB);
      const messageIds: string[] = [];
      for (const member of peersOf(merged.members.filter((m) => m !== this.hubAgency))) {
        messageIds.push(await this.queue(client, member, CooperationKind.JOINT_CASE, merged.id, merged, actor));
      }
      return { record: merged.id, messageIds };
    });
  }

  /** Sends one of this hub's credit decisions to `peer` for recognition. */
  shareCreditDecision(peer: PeerRef, decision: CreditDecision, actor: CooperationActor, audit: EffectAudit | null): Promise<string> {
    return this.write(audit, async (client) => {
      const id = await this.queue(client, peer, CooperationKind.CREDIT_DECISION, decision.creditCode, decision, actor);
      return { record: id, messageIds: [id] };
    });
  }

  /** Sends one of this hub's published inspection results to `peer` for recognition. */
  shareInspectionResult(peer: PeerRef, result: InspectionResultShared, actor: CooperationActor, audit: EffectAudit | null): Promise<string> {
    return this.write(audit, async (client) => {
      const id = await this.queue(client, peer, CooperationKind.INSPECTION_RESULT, result.uscc, result, actor);
      return { record: id, messageIds: [id] };
    });
  }

  /**
   * Takes a message a peer delivered. Kept once per sender and idempotency key: a second delivery
   * of the same message (a retry after a lost acknowledgement) changes nothing and answers
   * `duplicate`. Its effect (the request, the answer, the joint case, the recognised decision) is
   * made in the same transaction as the inbox row and the request's audit event.
   */
  receive(
    sender: PeerRef | { id: null; agency: string },
    idempotencyKey: string,
    message: Received,
    audit: EffectAudit | null,
  ): Promise<{ messageId: string; duplicate: boolean }> {
    return this.write<{ messageId: string; duplicate: boolean }>(audit, async (client) => {
      const text = canonicalJson(message.content);
      const { rows } = await client.query<{ id: string; duplicate: boolean }>(
        `insert into cooperation_message (id, direction, kind, local_agency, peer_agency, peer_id, parties, idempotency_key, subject_ref, content,
           status, attempts, created_at, ${PROVENANCE})
         values ($1, 'INBOUND', $2, $3, $4, $5, array[$3, $4]::text[], $6, $7, $8, 'RECEIVED', 1, now(), $10, $6, now(), now(), $9)
         on conflict (direction, peer_agency, idempotency_key) do update set attempts = cooperation_message.attempts + 1
         returning id, xmax <> 0 as duplicate`,
        [
          randomUUID(),
          message.kind,
          this.hubAgency,
          sender.agency,
          sender.id,
          idempotencyKey,
          message.subjectRef,
          text,
          hashOf([message.kind, sender.agency, text]),
          peerProvenance(sender.agency),
        ],
      );
      const { id, duplicate } = rows[0];
      if (duplicate) return { record: { messageId: id, duplicate }, messageIds: [] };
      await this.apply(client, sender.agency, message);
      return { record: { messageId: id, duplicate }, messageIds: [] };
    });
  }

  private async apply(client: PoolClient, sender: string, message: Received): Promise<void> {
    switch (message.kind) {
      case CooperationKind.CLUE_SHARED:
        return;
      case CooperationKind.ASSISTANCE_REQUESTED: {
        const { requestId, ...request } = message.content;
        await this.insertAssistance(client, requestId, CooperationDirection.INBOUND, sender, this.hubAgency, request, peerProvenance(sender));
        return;
      }
      case CooperationKind.ASSISTANCE_ANSWERED: {
        const { rowCount } = await client.query(
          `update assistance_request set status = 'ANSWERED', answer = $3, answered_at = now(), version = version + 1, provenance_source_updated_at = now()
           where id = $1 and direction = 'OUTBOUND' and assisting_agency = $2 and requester_agency = $4 and deleted_at is null`,
          [message.content.requestId, sender, message.content.answer, this.hubAgency],
        );
        // The sender answers only what this hub asked it: anything else is refused, and the inbox row rolls back with it.
        if (rowCount === 0) throw new NotFoundError(`Assistance request ${message.content.requestId} to ${sender}`);
        return;
      }
      case CooperationKind.JOINT_CASE:
        await this.receiveJointCase(client, sender, message.content);
        return;
      case CooperationKind.CREDIT_DECISION: {
        const d = message.content;
        await client.query(
          `insert into recognised_credit_decision (id, issuing_agency, parties, credit_code, list_type, reason, authority, decided_on, recognised,
             recognised_at, ${PROVENANCE})
           values ($1, $2, array[$2, $3]::text[], $4, $5, $6, $7, $8, true, now(), $10, $1, now(), now(), $9)
           on conflict (id) do nothing`,
          [`${sender}/${d.id}`, sender, this.hubAgency, d.creditCode, d.listType, d.reason, d.authority, d.decidedOn, hashOf(d), peerProvenance(sender)],
        );
        return;
      }
      case CooperationKind.INSPECTION_RESULT: {
        const r = message.content;
        // Kept once per issuer and result: a result published is not changed by its issuer, so a second share changes nothing.
        await client.query(
          `insert into recognised_inspection_result (id, issuing_agency, parties, result_id, uscc, enterprise_name, item_codes, inspected_on, outcome,
             recognised, recognised_at, ${PROVENANCE})
           values ($1, $2, array[$2, $3]::text[], $4, $5, $6, $7::text[], $8, $9, true, now(), $11, $1, now(), now(), $10)
           on conflict (id) do nothing`,
          [
            `${sender}/${r.id}`,
            sender,
            this.hubAgency,
            r.id,
            r.uscc,
            r.enterpriseName,
            r.itemCodes,
            r.inspectedOn,
            r.outcome,
            hashOf(r),
            peerProvenance(sender),
          ],
        );
        return;
      }
    }
  }

  private async insertAssistance(
    client: PoolClient,
    id: string,
    direction: CooperationDirection,
    requester: string,
    assisting: string,
    request: { subject: string; question: string; dueDate: string },
    system: string,
  ): Promise<void> {
    await client.query(
      `insert into assistance_request (id, direction, requester_agency, assisting_agency, parties, subject, question, due_date, status,
         requested_at, version, ${PROVENANCE})
       values ($1, $2, $3, $4, array[$3, $4]::text[], $5, $6, $7, $8, now(), 1, $10, $1, now(), now(), $9)`,
      [id, direction, requester, assisting, request.subject, request.question, request.dueDate, AssistanceStatus.OPEN, hashOf([id, request]), system],
    );
  }

  /**
   * Takes a joint case a member sent. Each bureau speaks only for itself: only the lead opens a
   * case (a new id must be led by the sender), only a member already kept may update it, only the
   * lead adds members, and only the sender's own links are taken (another member's, forwarded in
   * the sender's copy, are that member's to send). A link in this hub's name that it never made is
   * a forgery. Each refusal is FORBIDDEN with a `reason` and rolls the inbox row back with it.
   */
  private async receiveJointCase(client: PoolClient, sender: string, state: JointCaseState): Promise<void> {
    const refuse = (reason: string): never => {
      throw new CooperationError(ErrorCode.FORBIDDEN, `Joint case ${state.id} from ${sender} refused: ${reason}`, { action: 'RECEIVE', reason });
    };
    if (!state.members.includes(this.hubAgency) || !state.members.includes(sender)) {
      throw new CooperationError(ErrorCode.ILLEGAL_TRANSITION, `Joint case ${state.id} does not name both ${sender} and ${this.hubAgency}`, {
        action: 'RECEIVE',
      });
    }
    const { rows } = await client.query<{ lead_agency: string; members: string[]; linked_cases: JointCaseLink[] }>(
      `select lead_agency, members, linked_cases from joint_case where id = $1 for update`,
      [state.id],
    );
    const kept = rows.at(0);
    if (!kept && state.leadAgency !== sender) refuse('only its lead bureau opens a joint case');
    if (kept && !kept.members.includes(sender)) refuse('the sender is not a member');
    if (kept && state.leadAgency !== kept.lead_agency) refuse('the joint case is led by another bureau');
    if (kept && sender !== kept.lead_agency && state.members.some((m) => !kept.members.includes(m))) refuse('only the lead bureau adds members');
    const keptOwn = new Set((kept?.linked_cases ?? []).filter((l) => l.agency === this.hubAgency).map((l) => l.caseNumber));
    if (state.linkedCases.some((l) => l.agency === this.hubAgency && !keptOwn.has(l.caseNumber)))
      refuse(`a linked case in ${this.hubAgency}'s name it never linked`);
    await this.upsertJointCase(client, { ...state, linkedCases: state.linkedCases.filter((l) => l.agency === sender) }, peerProvenance(sender));
  }

  /** Writes a joint case as `state` says, merged with what is kept: members and links are only added. Answers the merged state. */
  private async upsertJointCase(client: PoolClient, state: JointCaseState, system: string): Promise<JointCaseState> {
    const { rows } = await client.query<{ members: string[]; linked_cases: JointCaseLink[] }>(
      `insert into joint_case (id, title, lead_agency, members, linked_cases, created_at, ${PROVENANCE})
       values ($1, $2, $3, $4::text[], $5::jsonb, now(), $7, $1, now(), now(), $6)
       on conflict (id) do update set
         members = array(select distinct m from unnest(joint_case.members || excluded.members) m order by m),
         linked_cases = (select coalesce(jsonb_agg(distinct l), '[]'::jsonb) from jsonb_array_elements(joint_case.linked_cases || excluded.linked_cases) l),
         provenance_source_updated_at = now()
       where joint_case.lead_agency = excluded.lead_agency
       returning members, linked_cases`,
      [state.id, state.title, state.leadAgency, state.members, JSON.stringify(state.linkedCases), hashOf(state), system],
    );
    if (rows.length === 0) {
      throw new CooperationError(ErrorCode.ILLEGAL_TRANSITION, `Joint case ${state.id} is led by another bureau`, { action: 'JOINT_CASE' });
    }
    return { ...state, members: rows[0].members, linkedCases: rows[0].linked_cases };
  }
}
