import { Arg, Args, ArgsType, Ctx, Field, Int, Mutation, Query, Resolver, Subscription } from 'type-graphql';
import type { EffectAudit } from '../../audit/effect-audit';
import { AccessDeniedError, ErrorCode, InvalidInputError, NotFoundError } from '../../errors';
import { optionalText, requireDivisionPrefix } from '../../read-kit/arguments/identifier-args';
import { Classification, Classified } from '../../read-kit/fields/classification';
import { servedByTheLiveLayer, withinDivisions, type LiveEvent, type LiveTopic } from '../../read-kit/live-event';
import { connectionType, PageArgs, requireResultCount } from '../../read-kit/pagination';
import { rowInScope } from '../../read-kit/rows/row-scope';
import type { RequestContext, Viewer } from '../../read-kit/request-context';
import { caseNumberArgument, officerText } from '../common/free-text';
import type { EnforcementLoaders } from '../enforcement';
import { PoliceSight, TransferAction, TransferDecision, TransferStatus } from './case-transfer-codes';
import { CaseTransferChange } from './case-transfer-change';
import { UntransferredCase } from './case-transfer-evidence';
import { CaseTransfer } from './case-transfer.entity';
import { CaseTransferError } from './case-transfer.errors';
import type { CaseTransferLoaders } from './case-transfer.loaders';
import { CaseTransferRepository, findUntransferredCases, MAX_UNTRANSFERRED } from './case-transfer.repository';
import type { TransferRequest, CaseTransferWrites, TransferState } from './case-transfer.writes';
import { CrimeCatalogue } from './crime-catalogue';

/** What the transfer resolvers use: reads, the write side (with the catalogue), the request's audit event, the event delivered. */
export interface CaseTransferContext extends RequestContext<{ caseTransfer: CaseTransferLoaders; enforcement: EnforcementLoaders }> {
  /** Null where the hub has no write side for transfers. */
  caseTransfers: CaseTransferWrites | null;
  /** The crime catalogue in force; null where the hub was built without one. */
  crimeCatalogue: CrimeCatalogue | null;
  effectAudit: EffectAudit | null;
  liveEvent: LiveEvent | null;
}

/** Longest reason or document reference kept. */
export const MAX_TRANSFER_TEXT = 500;

export const CaseTransferConnection = connectionType(CaseTransfer, 'CaseTransfer');

@ArgsType()
class CaseTransfersArgs extends PageArgs {
  @Field(() => TransferStatus, { nullable: true })
  status?: TransferStatus | null;

  @Field(() => String, { nullable: true, description: 'A GB/T 2260 division or its prefix.' })
  division?: string | null;
}

const EXPECTED_VERSION = { nullable: true, description: "The transfer's version you act on; when it has moved on, CONFLICT." } as const;

function requireViewer(ctx: CaseTransferContext): Viewer {
  if (!ctx.viewer) throw new AccessDeniedError(ErrorCode.FORBIDDEN, 'Case transfers need an authenticated officer');
  return ctx.viewer;
}

function requireWrites(ctx: CaseTransferContext, argument: string): CaseTransferWrites {
  if (!ctx.caseTransfers) throw new InvalidInputError(argument, 'this hub has no case transfers');
  return ctx.caseTransfers;
}

/**
 * A transfer event concerns a subscriber asking for its division; whether the subscriber may see
 * the transfer is then its agreement's row scope (a district's officers, the police it was sent or
 * opened to), applied when the transfer is read for the delivery. Officers with divisions hear
 * only of theirs: the scope would hide the others anyway.
 */
export const caseTransferChangedTopic: LiveTopic = {
  field: 'caseTransferChanged',
  eventKind: 'CASE_TRANSFER',
  accepts: (event, args, viewer) =>
    (typeof args.division !== 'string' || withinDivisions(event.division, [args.division])) &&
    (viewer.divisions.length === 0 || withinDivisions(event.division, viewer.divisions)),
};

/**
 * 两法衔接: the crime catalogue, transfers and their workflow. Each mutation is granted per agency
 * and role by the agreements file (guarded at the root), acts only on what the caller may see (a
 * transfer or case outside its scope is NOT_FOUND), and writes its audit event with the change.
 * Refusals are typed (BAD_USER_INPUT, ILLEGAL_TRANSITION with the missing evidence, CONFLICT,
 * NOT_FOUND) and change nothing.
 */
@Resolver(() => CaseTransfer)
export class CaseTransferResolver {
  @Classified(Classification.PUBLIC)
  @Query(() => CrimeCatalogue, { description: 'The crime catalogue in force (两法衔接 罪名目录): what may be a crime and what its transfer needs.' })
  crimeCatalogue(@Ctx() ctx: CaseTransferContext): CrimeCatalogue {
    if (!ctx.crimeCatalogue) throw new NotFoundError('The crime catalogue');
    return ctx.crimeCatalogue;
  }

  @Classified(Classification.INTERNAL)
  @Query(() => CaseTransfer, { nullable: true, description: 'A transfer, if you may see it.' })
  async caseTransfer(@Arg('id') id: string, @Ctx() ctx: CaseTransferContext): Promise<CaseTransfer | null> {
    // A lookup: an id the hub never issues names no transfer, as an unknown one does.
    const key = optionalText('id', id)!.trim().toLowerCase();
    return UUID.test(key) ? ctx.loaders.caseTransfer.byId.load(key) : null;
  }

  @Classified(Classification.INTERNAL)
  @Query(() => CaseTransferConnection, { description: 'Transfers, newest first, as far as you may see them: every step with its time.' })
  caseTransfers(@Args() args: CaseTransfersArgs, @Ctx() ctx: CaseTransferContext) {
    const division = args.division ? requireDivisionPrefix('division', args.division) : null;
    return new CaseTransferRepository(ctx).findPage({ status: args.status, division }, 'PREPARED_AT_DESC', args.first, args.after);
  }

  @Classified(Classification.INTERNAL)
  @Query(() => [UntransferredCase], {
    description: `有案不移: cases matching the crime catalogue (violation and threshold) not transferred within its days, oldest first, as far as you may see them (at most ${MAX_UNTRANSFERRED} per catalogue entry).`,
  })
  async untransferredCases(@Arg('first', () => Int, { defaultValue: 50 }) first: number, @Ctx() ctx: CaseTransferContext): Promise<UntransferredCase[]> {
    requireResultCount('first', first, MAX_UNTRANSFERRED);
    const catalogue = ctx.crimeCatalogue;
    if (!catalogue) return [];
    const now = Date.now();
    const found: UntransferredCase[] = [];
    for (const entry of catalogue.entries) {
      const dueBefore = new Date(now - entry.ruleDays.transfer * 86_400_000);
      const page = await findUntransferredCases(ctx, entry, dueBefore, first);
      // Read by what the statement filters and orders on (the projection holds those): the case itself is `enforcementCase`.
      const cases = page.edges.map((e) => e.node);
      // Read for the decision with the properties it needs (a page reads only what the operation selects), in one statement.
      const rows = (await ctx.reads.decisionRows(
        'CaseTransfer',
        'caseNumber',
        cases.map((c) => c.caseNumber),
        { properties: ['caseNumber', 'id', 'submittedAt'] },
      )) as Array<{ caseNumber: string; id: string; submittedAt: Date | null }>;
      const transfers = new Map(rows.map((r) => [r.caseNumber, r]));
      cases.forEach((c) => {
        const transfer = transfers.get(c.caseNumber);
        if (transfer && transfer.submittedAt) return;
        found.push({
          caseNumber: c.caseNumber,
          violationCode: entry.violationCode,
          charge: entry.charge,
          occurredAt: c.occurredAt,
          dueAt: new Date(c.occurredAt.getTime() + entry.ruleDays.transfer * 86_400_000),
          transferId: transfer?.id ?? null,
        });
      });
    }
    return found.sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime() || a.caseNumber.localeCompare(b.caseNumber)).slice(0, first);
  }

  @Classified(Classification.INTERNAL)
  @Mutation(() => CaseTransferChange, {
    description:
      'Opens a transfer of a case whose violation is in the crime catalogue (at or above its threshold): its packet is the case, its parties and vehicle, and the evidence checklist.',
  })
  async prepareCaseTransfer(@Arg('caseNumber') caseNumber: string, @Ctx() ctx: CaseTransferContext): Promise<CaseTransferChange> {
    const number = caseNumberArgument('caseNumber', caseNumber, true)!;
    const viewer = requireViewer(ctx);
    const writes = requireWrites(ctx, 'caseNumber');
    // Read with the caller's row scope: a case outside its divisions is not there for it.
    const row = await ctx.reads.decisionRow(
      'EnforcementCase',
      { caseNumber: number },
      {
        properties: ['caseNumber', 'violationCode', 'divisionCode', 'penaltyAmountYuan', 'status', 'transferredToPolice'],
      },
    );
    // The argument names nothing the caller may transfer: out of its scope and absent answer alike.
    if (!row) throw new InvalidInputError('caseNumber', 'names no case you may see');
    const entry = writes.catalogue.entryOf(String(row.violationCode));
    if (!entry)
      throw new InvalidInputError(
        'caseNumber',
        `its violation ${String(row.violationCode)} is not in the crime catalogue (version ${writes.catalogue.version})`,
      );
    const penalty = row.penaltyAmountYuan === null ? 0 : Number(row.penaltyAmountYuan);
    if (penalty < entry.minPenaltyYuan)
      throw new InvalidInputError('caseNumber', `its penalty ${penalty} is below the catalogue's threshold ${entry.minPenaltyYuan} for ${entry.violationCode}`);
    if (row.transferredToPolice === true || row.status === 'TRANSFERRED')
      throw new InvalidInputError('caseNumber', 'the transport system records it as transferred already');
    return writes.prepare(
      { caseNumber: number, violationCode: entry.violationCode, divisionCode: String(row.divisionCode) },
      entry,
      actorOf(viewer),
      ctx.effectAudit,
    );
  }

  @Classified(Classification.INTERNAL)
  @Mutation(() => CaseTransferChange, { description: "Attaches a document, by reference, for an item of the transfer's evidence list." })
  attachTransferEvidence(
    @Arg('id') id: string,
    @Arg('evidenceCode', { description: "An item of the catalogue entry's evidence list, e.g. SCENE_RECORD." }) evidenceCode: string,
    @Arg('documentRef', { description: `Where the document is kept (and its hash), at most ${MAX_TRANSFER_TEXT} characters.` }) documentRef: string,
    @Arg('expectedVersion', () => Int, EXPECTED_VERSION) expectedVersion: number | null,
    @Ctx() ctx: CaseTransferContext,
  ): Promise<CaseTransferChange> {
    const code = officerText('evidenceCode', evidenceCode, 48, true)!;
    const ref = officerText('documentRef', documentRef, MAX_TRANSFER_TEXT, true)!;
    return this.act(ctx, id, expectedVersion, { action: TransferAction.ATTACH, evidenceCode: code, documentRef: ref }, false, (state, writes) => {
      const entry = writes.catalogue.entryOf(state.violationCode);
      if (!entry?.evidence.some((e) => e.code === code)) throw new InvalidInputError('evidenceCode', `is not on the evidence list of ${state.violationCode}`);
    });
  }

  @Classified(Classification.INTERNAL)
  @Mutation(() => CaseTransferChange, {
    description:
      'Invites the receiving police to consult on the case before it is transferred (案件会商, 提前介入): they may then see the case and the transfer.',
  })
  inviteEarlyInvolvement(
    @Arg('id') id: string,
    @Arg('expectedVersion', () => Int, EXPECTED_VERSION) expectedVersion: number | null,
    @Ctx() ctx: CaseTransferContext,
  ) {
    return this.act(ctx, id, expectedVersion, { action: TransferAction.INVITE }, false);
  }

  @Classified(Classification.INTERNAL)
  @Mutation(() => CaseTransferChange, {
    description: 'Sends the transfer to the police agency; refused (ILLEGAL_TRANSITION, missingEvidence) while required evidence is missing.',
  })
  submitCaseTransfer(
    @Arg('id') id: string,
    @Arg('expectedVersion', () => Int, EXPECTED_VERSION) expectedVersion: number | null,
    @Ctx() ctx: CaseTransferContext,
  ) {
    return this.act(ctx, id, expectedVersion, { action: TransferAction.SUBMIT }, false);
  }

  @Classified(Classification.INTERNAL)
  @Mutation(() => CaseTransferChange, { description: 'The police sign for a submitted transfer (回执), naming the unit that takes it.' })
  acknowledgeTransfer(
    @Arg('id') id: string,
    @Arg('receivingUnit', { description: 'The police unit that takes the case (承办单位), at most 100 characters.' }) receivingUnit: string,
    @Arg('expectedVersion', () => Int, EXPECTED_VERSION) expectedVersion: number | null,
    @Ctx() ctx: CaseTransferContext,
  ) {
    const unit = officerText('receivingUnit', receivingUnit, 100, true)!;
    return this.act(ctx, id, expectedVersion, { action: TransferAction.ACKNOWLEDGE, receivingUnit: unit }, true);
  }

  @Classified(Classification.INTERNAL)
  @Mutation(() => CaseTransferChange, {
    description: 'The police decide on an acknowledged transfer: 立案 (FILED), 不立案 (NOT_FILED, with the reason) or 退回 (RETURNED, with the reason).',
  })
  decideTransfer(
    @Arg('id') id: string,
    @Arg('decision', () => TransferDecision) decision: TransferDecision,
    @Arg('reason', () => String, { nullable: true, description: `Required for NOT_FILED and RETURNED, at most ${MAX_TRANSFER_TEXT} characters.` })
    reason: string | null,
    @Arg('expectedVersion', () => Int, EXPECTED_VERSION) expectedVersion: number | null,
    @Ctx() ctx: CaseTransferContext,
  ) {
    const why = officerText('reason', reason, MAX_TRANSFER_TEXT, decision !== TransferDecision.FILED);
    return this.act(ctx, id, expectedVersion, { action: TransferAction.DECIDE, decision, reason: why }, true);
  }

  @Classified(Classification.INTERNAL)
  @Subscription(() => CaseTransfer, {
    nullable: true,
    subscribe: servedByTheLiveLayer,
    description:
      'Transfers that changed (every step, OVERDUE included) in a division (a GB/T 2260 prefix), live over graphql-ws at /graphql; each as your agreement shows transfers (the police: those sent to or opened to them), its status and version those the step left it at.',
  })
  async caseTransferChanged(
    @Arg('division', { description: 'A GB/T 2260 division or its prefix, e.g. 3205.' }) division: string,
    @Ctx() ctx: CaseTransferContext,
  ): Promise<CaseTransfer | null> {
    const prefix = requireDivisionPrefix('division', division);
    const event = ctx.liveEvent;
    if (!event || event.kind !== caseTransferChangedTopic.eventKind || !withinDivisions(event.division, [prefix])) return null;
    // Read under the caller's row scope: a transfer it may not see is no event for it.
    const transfer = await ctx.loaders.caseTransfer.byId.load(String(event.payload.transferId));
    if (!transfer) return null;
    // Delivered after later steps, the row has moved on: each delivery says the step it announces.
    const step: Partial<CaseTransfer> = {};
    if (typeof event.payload.toStatus === 'string') step.status = event.payload.toStatus as TransferStatus;
    if (typeof event.payload.version === 'number') step.version = event.payload.version;
    if (typeof event.payload.policeSight === 'string') step.policeSight = event.payload.policeSight as PoliceSight;
    if (typeof event.payload.receivingAgency === 'string') step.receivingAgency = event.payload.receivingAgency;
    const announced = Object.assign(Object.create(Object.getPrototypeOf(transfer) as object) as CaseTransfer, transfer, step);
    // The read judged the row as it is now; the step is for a caller who could see the transfer as
    // the step left it (a preparation delivered after the submission is not the police's to hear of).
    const scope = ctx.access?.rowScopeOf('CaseTransfer') ?? null;
    if (scope && rowInScope(scope, announced as unknown as Record<string, unknown>) === false) return null;
    return announced;
  }

  /**
   * Reads the transfer as the caller may see it, checks it, applies the change with its audit
   * event and answers where the write left it. Police actions also need the transfer to be sent
   * to the caller's own agency.
   */
  private async act(
    ctx: CaseTransferContext,
    id: string,
    expectedVersion: number | null,
    request: TransferRequest,
    receiving: boolean,
    check?: (state: TransferState, writes: CaseTransferWrites) => void,
  ): Promise<CaseTransferChange> {
    const key = requireId(id);
    const viewer = requireViewer(ctx);
    const writes = requireWrites(ctx, 'id');
    const row = await ctx.reads.decisionRow(
      'CaseTransfer',
      { id: key },
      { properties: ['id', 'caseNumber', 'status', 'version', 'violationCode', 'receivingAgency'] },
    );
    if (!row || (receiving && row.receivingAgency !== viewer.agency)) throw new NotFoundError(`Transfer ${key}`);
    const state: TransferState = {
      id: key,
      caseNumber: String(row.caseNumber),
      status: row.status as TransferStatus,
      version: Number(row.version),
      violationCode: String(row.violationCode),
    };
    if (expectedVersion !== null && expectedVersion !== undefined && expectedVersion !== state.version) {
      throw new CaseTransferError(ErrorCode.CONFLICT, `Transfer ${key} is at version ${state.version}, not ${expectedVersion}; read it again`, {
        action: request.action,
        status: state.status,
        version: state.version,
      });
    }
    check?.(state, writes);
    return writes.apply(state, request, actorOf(viewer), ctx.effectAudit);
  }
}

/** A transfer id as the hub issues them (a UUID): anything else names no transfer, and is refused before any read. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function requireId(id: string): string {
  const key = optionalText('id', id)!.trim().toLowerCase();
  if (!UUID.test(key)) throw new InvalidInputError('id', 'must be a transfer id (a UUID)');
  return key;
}

const actorOf = (viewer: Viewer) => ({ agency: viewer.agency, subject: viewer.subject });
