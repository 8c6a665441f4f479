import { ClueAction, ClueStatus } from './clue-codes';

/**
 * The clue workflow's state machine, declared once: for each action, the statuses it may start
 * from and the one it leads to. Anything else is an illegal transition, refused with nothing
 * changed. DISMISSED and LINKED are final; a pending link may be pointed at another case number
 * (a mistyped one would otherwise wait forever) but not dismissed: a case number was claimed.
 */
export const CLUE_TRANSITIONS: Readonly<Record<ClueAction, { from: readonly ClueStatus[]; to: ClueStatus }>> = {
  // Reassigning within the division is an assignment too.
  [ClueAction.ASSIGN]: { from: [ClueStatus.OPEN, ClueStatus.ASSIGNED], to: ClueStatus.ASSIGNED },
  [ClueAction.VERIFY]: { from: [ClueStatus.OPEN, ClueStatus.ASSIGNED], to: ClueStatus.VERIFIED },
  [ClueAction.DISMISS]: { from: [ClueStatus.OPEN, ClueStatus.ASSIGNED, ClueStatus.VERIFIED], to: ClueStatus.DISMISSED },
  [ClueAction.LINK]: { from: [ClueStatus.OPEN, ClueStatus.ASSIGNED, ClueStatus.VERIFIED, ClueStatus.LINKED_PENDING], to: ClueStatus.LINKED_PENDING },
  // Taken by the hub only, when the case is there (migration `clue_workflow`: on the case's arrival).
  [ClueAction.CONFIRM_LINK]: { from: [ClueStatus.LINKED_PENDING], to: ClueStatus.LINKED },
};

/** Where `action` takes a clue in status `from`, or null when the workflow does not allow it. */
export function transitionOf(action: ClueAction, from: ClueStatus): ClueStatus | null {
  const transition = CLUE_TRANSITIONS[action];
  return transition.from.includes(from) ? transition.to : null;
}
