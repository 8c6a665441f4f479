import { Arg, Ctx, Int, Mutation, Resolver } from 'type-graphql';
import { Classification, Classified } from '../../read-kit/fields/classification';
import { optionalDivision, optionalText } from '../../read-kit/arguments/identifier-args';
import type { EffectAudit } from '../../audit/effect-audit';
import { AccessDeniedError, ErrorCode, InvalidInputError, NotFoundError } from '../../errors';
import { ClueAction, ClueDismissalReason, type ClueStatus } from './clue-codes';
import { ClueChange } from './clue-change';
import { ClueWorkflowError } from './clue.errors';
import type { ClueContext } from './clue.resolver';
import type { ClueRequest, ClueState, ClueWorkflow } from './clue.writes';

/** What the workflow's mutations use besides the clue domain's reads: its write side and where the audit event goes. */
export interface ClueWorkflowContext extends ClueContext {
  /** Null where the hub has no write side for clues (a schema built without one). */
  clueWorkflow: ClueWorkflow | null;
  /** The request's audit event, written in the transaction of the change; null where access control (and so the audit) is off. */
  effectAudit: EffectAudit | null;
}

/** Longest finding or note kept with a change. */
export const MAX_NOTE_LENGTH = 500;
/** Longest case number accepted (the transport system's run to about 20 characters). */
const MAX_CASE_NUMBER_LENGTH = 64;

/**
 * An officer, as a clue is assigned to one: their token's subject within the acting agency and
 * the division they work in, `subject@division` (`zhang.wei@320505`). The hub keeps no roster of
 * officers, so the division is the one the assigner states; it must be the clue's.
 */
const OFFICER = /^([A-Za-z0-9][A-Za-z0-9._-]{0,63})@(\d{6})$/;

function requireId(id: string): string {
  const key = optionalText('id', id)!.trim();
  if (!key) throw new InvalidInputError('id', 'must not be empty');
  return key;
}

/** Free text kept with a change: trimmed, at most MAX_NOTE_LENGTH, line breaks allowed, no other control characters. */
function note(argument: string, value: string | null | undefined, required: boolean): string | null {
  const text = value?.trim() ?? '';
  if (!text) {
    if (required) throw new InvalidInputError(argument, 'must not be empty');
    return null;
  }
  if (text.length > MAX_NOTE_LENGTH) throw new InvalidInputError(argument, `must be at most ${MAX_NOTE_LENGTH} characters`);
  if (/[\u0000-\u0009\u000b-\u001f\u007f]/.test(text)) throw new InvalidInputError(argument, 'must not contain control characters other than line breaks');
  return text;
}

const EXPECTED_VERSION = {
  nullable: true,
  description: "The clue's version the caller acts on (Clue.version); when given and the clue has moved on, CONFLICT.",
} as const;

/**
 * The clue workflow's mutations. Each is granted per agency and role by the agreements file
 * (guarded at the root like any field), acts only on a clue the caller may see (outside the
 * caller's divisions a clue is NOT_FOUND, as `clue(id)` answers null), and writes its audit event
 * with the change. Refusals are typed (ILLEGAL_TRANSITION, OUTSIDE_DIVISION, CONFLICT,
 * BAD_USER_INPUT, NOT_FOUND) and change nothing.
 */
@Resolver()
export class ClueWorkflowResolver {
  @Classified(Classification.INTERNAL)
  @Mutation(() => ClueChange, { description: 'Assigns an OPEN or ASSIGNED clue to an officer of its division.' })
  assignClue(
    @Arg('id') id: string,
    @Arg('to', { description: 'The officer: their token subject and the division they work in, `subject@division` (e.g. zhang.wei@320505).' }) to: string,
    @Arg('expectedVersion', () => Int, EXPECTED_VERSION) expectedVersion: number | null,
    @Ctx() ctx: ClueWorkflowContext,
  ): Promise<ClueChange> {
    const officer = OFFICER.exec(optionalText('to', to)!.trim());
    if (!officer) throw new InvalidInputError('to', 'must name an officer as subject@division, e.g. zhang.wei@320505');
    const division = optionalDivision('to', officer[2])!;
    return this.act(ctx, id, expectedVersion, { action: ClueAction.ASSIGN, assignedTo: `${officer[1]}@${division}` }, (clue) => {
      if (division !== clue.division) {
        throw new ClueWorkflowError(ErrorCode.OUTSIDE_DIVISION, `Clue ${clue.id} is routed to ${clue.division}; it can be assigned only to an officer there`, {
          action: ClueAction.ASSIGN,
          status: clue.status,
          division: clue.division,
        });
      }
    });
  }

  @Classified(Classification.INTERNAL)
  @Mutation(() => ClueChange, { description: 'Records that an officer confirmed the clue, with the finding.' })
  verifyClue(
    @Arg('id') id: string,
    @Arg('finding', { description: `What the officer found, at most ${MAX_NOTE_LENGTH} characters.` }) finding: string,
    @Arg('expectedVersion', () => Int, EXPECTED_VERSION) expectedVersion: number | null,
    @Ctx() ctx: ClueWorkflowContext,
  ): Promise<ClueChange> {
    return this.act(ctx, id, expectedVersion, { action: ClueAction.VERIFY, finding: note('finding', finding, true)! });
  }

  @Classified(Classification.INTERNAL)
  @Mutation(() => ClueChange, { description: 'Closes a clue without a case, for a reason of the closed list (a linked clue cannot be dismissed).' })
  dismissClue(
    @Arg('id') id: string,
    @Arg('reason', () => ClueDismissalReason) reason: ClueDismissalReason,
    @Arg('note', () => String, { nullable: true, description: `Free text beside the reason, at most ${MAX_NOTE_LENGTH} characters; required for OTHER.` })
    text: string | null,
    @Arg('expectedVersion', () => Int, EXPECTED_VERSION) expectedVersion: number | null,
    @Ctx() ctx: ClueWorkflowContext,
  ): Promise<ClueChange> {
    return this.act(ctx, id, expectedVersion, { action: ClueAction.DISMISS, reason, note: note('note', text, reason === ClueDismissalReason.OTHER) });
  }

  @Classified(Classification.INTERNAL)
  @Mutation(() => ClueChange, {
    description: 'Links a clue to an enforcement case: LINKED when the hub holds the case, else LINKED_PENDING until the transport system sends it.',
  })
  linkClueToCase(
    @Arg('id') id: string,
    @Arg('caseNumber') caseNumber: string,
    @Arg('expectedVersion', () => Int, EXPECTED_VERSION) expectedVersion: number | null,
    @Ctx() ctx: ClueWorkflowContext,
  ): Promise<ClueChange> {
    const number = optionalText('caseNumber', caseNumber)!.trim();
    if (!number) throw new InvalidInputError('caseNumber', 'must not be empty');
    if (number.length > MAX_CASE_NUMBER_LENGTH) throw new InvalidInputError('caseNumber', `must be at most ${MAX_CASE_NUMBER_LENGTH} characters`);
    // The linker's case scope goes with a pending link: the case must arrive where they could see it.
    return this.act(ctx, id, expectedVersion, { action: ClueAction.LINK, caseNumber: number, caseScope: ctx.reads.scopeData('EnforcementCase') });
  }

  /**
   * Reads the clue as the caller may see it, checks it, applies the change with its audit event,
   * and answers where the write left it: from the write, never the request's loaders, whose cache
   * would answer a second mutation of the same clue with what the first read.
   */
  private async act(
    ctx: ClueWorkflowContext,
    id: string,
    expectedVersion: number | null,
    change: ClueRequest,
    check?: (clue: ClueState) => void,
  ): Promise<ClueChange> {
    const key = requireId(id);
    if (!ctx.clueWorkflow) throw new InvalidInputError('id', 'this hub has no clue workflow');
    if (!ctx.viewer) throw new AccessDeniedError(ErrorCode.FORBIDDEN, 'The clue workflow needs an authenticated officer');
    // Read with the caller's row scope: a clue outside their divisions is not there for them.
    const row = await ctx.reads.decisionRow('Clue', { id: key }, { properties: ['id', 'status', 'version', 'division'] });
    if (!row) throw new NotFoundError(`Clue ${key}`);
    const clue: ClueState = { id: key, status: row.status as ClueStatus, version: Number(row.version), division: String(row.division) };
    if (expectedVersion !== null && expectedVersion !== undefined && expectedVersion !== clue.version) {
      throw new ClueWorkflowError(ErrorCode.CONFLICT, `Clue ${key} is at version ${clue.version}, not ${expectedVersion}; read it again`, {
        action: change.action,
        status: clue.status,
        version: clue.version,
      });
    }
    check?.(clue);
    // A case is looked up as the caller may see it (their row scope): one outside it is not there for them.
    const caseVisible = async (caseNumber: string) => (await ctx.reads.decisionRow('EnforcementCase', { caseNumber }, { properties: ['caseNumber'] })) !== null;
    const moved = await ctx.clueWorkflow.apply(clue, change, { agency: ctx.viewer.agency, subject: ctx.viewer.subject }, ctx.effectAudit, caseVisible);
    return { clueId: key, ...moved };
  }
}
