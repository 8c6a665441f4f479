/**
 * The advisory locks the hub takes, each a number of its own (four ASCII letters) so none is
 * taken for another by mistake.
 */
export const AdvisoryLock = {
  /** Held while migrating: of instances starting together, one migrates and the others wait, then find nothing pending. */
  MIGRATION: 0x6d696772, // 'migr'
  /** Held while schedules are registered. */
  SCHEDULES: 0x73636864, // 'schd'
  /** Serialises audit appends: the chain has exactly one next link. */
  AUDIT_APPEND: 0x61756474, // 'audt'
  /** Serialises revocations, so that their ids become visible in order (the instances read past the last id they saw). */
  TOKEN_REVOKE: 0x7265766b, // 'revk'
  /**
   * Shared by a capture batch from its look at the watches until it commits; exclusive while a
   * watch is set: a watch set while a batch is between the two sees the batch's captures.
   */
  WATCH_HITS: 0x77746368, // 'wtch'
} as const;
