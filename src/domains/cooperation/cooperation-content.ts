import { InvalidInputError } from '../../errors';
import { optionalText } from '../../read-kit/arguments/identifier-args';
import { caseNumberArgument, officerText } from '../common/free-text';
import { CooperationKind } from './cooperation-codes';
import type { AssistanceAnswered, AssistanceAsked, CreditDecision, InspectionResultShared, JointCaseState, Received } from './cooperation.writes';

/** Longest question or answer of an assistance request. */
export const MAX_ASSISTANCE_TEXT = 1000;
/** Longest content a peer may deliver, in characters of JSON (the request's variables are capped lower still). */
export const MAX_CONTENT_LENGTH = 10_000;
/** Most members of a joint case, and most linked cases. */
export const MAX_JOINT_MEMBERS = 8;
export const MAX_JOINT_LINKS = 50;

const ID = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const AGENCY = /^[a-z][a-z0-9-]{0,63}$/;
const USCC = /^[0-9A-HJ-NPQRTUWXY]{18}$/;
const ITEM = /^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/;
/** The outcomes a published result may have (InspectionOutcome), as any peer hub of this kind publishes them. */
const OUTCOMES = ['COMPLIANT', 'ISSUES_FOUND', 'NOT_FOUND_AT_ADDRESS'];
/** Most items one shared result names (an item and its joint items). */
const MAX_RESULT_ITEMS = 10;

type Json = Record<string, unknown>;

function field(content: Json, name: string): string {
  const value = content[name];
  if (typeof value !== 'string') throw new InvalidInputError('content', `needs "${name}" (text)`);
  return optionalText('content', value)!;
}

function id(content: Json, name: string): string {
  const value = field(content, name);
  if (!ID.test(value)) throw new InvalidInputError('content', `"${name}" is not an id`);
  return value;
}

/** A calendar date (YYYY-MM-DD) that exists. */
export function calendarDate(argument: string, value: string): string {
  if (!DATE.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`)) || new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) !== value) {
    throw new InvalidInputError(argument, 'must be a date, YYYY-MM-DD');
  }
  return value;
}

function agencies(content: Json, name: string, max: number): string[] {
  const value = content[name];
  if (!Array.isArray(value) || value.length === 0 || value.length > max || !value.every((a) => typeof a === 'string' && AGENCY.test(a))) {
    throw new InvalidInputError('content', `"${name}" must list 1 to ${max} agencies`);
  }
  return [...new Set(value as string[])];
}

/**
 * Checks what a peer delivered for its kind, as any caller's input is checked: a message the hub
 * cannot take is refused (BAD_USER_INPUT, naming `content`) and nothing is kept.
 */
export function receivedMessage(kind: CooperationKind, subjectRef: string, text: string): Received {
  if (text.length > MAX_CONTENT_LENGTH) throw new InvalidInputError('content', `must be at most ${MAX_CONTENT_LENGTH} characters of JSON`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new InvalidInputError('content', 'is not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new InvalidInputError('content', 'must be a JSON object');
  const content = parsed as Json;
  const ref = optionalText('subjectRef', subjectRef)!.trim();
  if (!ref || ref.length > 128) throw new InvalidInputError('subjectRef', 'must be 1 to 128 characters');
  switch (kind) {
    case CooperationKind.CLUE_SHARED:
      if (typeof content.clue !== 'object' || content.clue === null || !Array.isArray(content.evidence)) {
        throw new InvalidInputError('content', 'a shared clue needs "clue" and "evidence"');
      }
      return { kind, subjectRef: ref, content };
    case CooperationKind.ASSISTANCE_REQUESTED: {
      const asked: AssistanceAsked = {
        requestId: id(content, 'requestId'),
        subject: officerText('content', field(content, 'subject'), 128, true)!,
        question: officerText('content', field(content, 'question'), MAX_ASSISTANCE_TEXT, true)!,
        dueDate: calendarDate('content', field(content, 'dueDate')),
      };
      return { kind, subjectRef: asked.requestId, content: asked };
    }
    case CooperationKind.ASSISTANCE_ANSWERED: {
      const answered: AssistanceAnswered = {
        requestId: id(content, 'requestId'),
        answer: officerText('content', field(content, 'answer'), MAX_ASSISTANCE_TEXT, true)!,
      };
      return { kind, subjectRef: answered.requestId, content: answered };
    }
    case CooperationKind.JOINT_CASE: {
      const links = content.linkedCases;
      if (!Array.isArray(links) || links.length > MAX_JOINT_LINKS) throw new InvalidInputError('content', `"linkedCases" must list at most ${MAX_JOINT_LINKS}`);
      const state: JointCaseState = {
        id: id(content, 'id'),
        title: officerText('content', field(content, 'title'), 200, true)!,
        leadAgency: field(content, 'leadAgency'),
        members: agencies(content, 'members', MAX_JOINT_MEMBERS),
        linkedCases: links.map((l: unknown) => {
          const link = (typeof l === 'object' && l !== null ? l : {}) as Json;
          const agency = field(link, 'agency');
          if (!AGENCY.test(agency)) throw new InvalidInputError('content', 'a linked case names an agency id');
          return { agency, caseNumber: caseNumberArgument('content', field(link, 'caseNumber'), true)! };
        }),
      };
      if (!state.members.includes(state.leadAgency)) throw new InvalidInputError('content', 'the lead bureau must be a member');
      return { kind, subjectRef: state.id, content: state };
    }
    case CooperationKind.CREDIT_DECISION: {
      const decision: CreditDecision = {
        id: id(content, 'id'),
        creditCode: field(content, 'creditCode'),
        listType: officerText('content', field(content, 'listType'), 64, true)!,
        reason: officerText('content', field(content, 'reason'), MAX_ASSISTANCE_TEXT, true)!,
        authority: officerText('content', field(content, 'authority'), 200, true)!,
        decidedOn: calendarDate('content', field(content, 'decidedOn')),
      };
      return { kind, subjectRef: decision.creditCode, content: decision };
    }
    case CooperationKind.INSPECTION_RESULT: {
      const items = content.itemCodes;
      if (!Array.isArray(items) || items.length === 0 || items.length > MAX_RESULT_ITEMS || !items.every((i) => typeof i === 'string' && ITEM.test(i))) {
        throw new InvalidInputError('content', `"itemCodes" must list 1 to ${MAX_RESULT_ITEMS} item codes`);
      }
      const outcome = field(content, 'outcome');
      if (!OUTCOMES.includes(outcome)) throw new InvalidInputError('content', `"outcome" must be one of ${OUTCOMES.join(', ')}`);
      const uscc = field(content, 'uscc');
      if (!USCC.test(uscc)) throw new InvalidInputError('content', '"uscc" is not a unified social credit code');
      const result: InspectionResultShared = {
        id: id(content, 'id'),
        uscc,
        enterpriseName: officerText('content', field(content, 'enterpriseName'), 200, true)!,
        itemCodes: items as string[],
        inspectedOn: calendarDate('content', field(content, 'inspectedOn')),
        outcome,
      };
      return { kind, subjectRef: result.uscc, content: result };
    }
  }
}
