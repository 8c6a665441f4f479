/**
 * What a receiving agency's agreement lets it see, for shaping what this hub sends it (a clue
 * shared with a peer bureau): the same field grants, masks and row scopes that would apply were
 * the receiver's officers reading our hub themselves. Made by access control
 * (`src/access/receiver-agreement.ts`), used by the domains that send records to other hubs.
 */
export interface ReceiverAgreement {
  /** The agreement's id, recorded with what was shaped by it. */
  id: string;
  /** `type.field`'s value as the receiver may see it (in full or masked), or null where it may not. */
  shape(type: string, field: string, value: unknown): { value: unknown } | null;
  /**
   * Whether a row of `type` with `values` is within the receiver's row scope. A condition that
   * depends on the receiver's token (`$viewer.…`, a jurisdiction) cannot be judged for a bureau
   * as a whole, so it admits nothing.
   */
  admits(type: string, values: Record<string, unknown>): boolean;
}
