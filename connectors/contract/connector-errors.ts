/** The source is unwell for now (network, 5xx, 429): retry with backoff, honouring `retryAfterMs`. */
export class TransientError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs: number | null = null,
    /** UNAVAILABLE: down or failing (5xx, refused); SLOW: no answer in time; RATE_LIMITED: a 429. */
    readonly kind: 'UNAVAILABLE' | 'SLOW' | 'RATE_LIMITED' = 'UNAVAILABLE',
  ) {
    super(message);
    this.name = 'TransientError';
  }
}

/** The connector is set up wrong (credentials, endpoint): retrying will not help; a person must. */
export class ConfigurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigurationError';
  }
}
