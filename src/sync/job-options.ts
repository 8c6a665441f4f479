/** Retries for a sync job: transient failures back off exponentially; each retry resumes. */
export const JOB_OPTIONS = { attempts: 8, backoff: { type: 'exponential', delay: 2_000 }, removeOnComplete: 1_000, removeOnFail: 5_000 };
