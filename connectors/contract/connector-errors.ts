/** The source is unwell for now (network, 5xx, 429): retry with backoff, honouring `retryAfterMs`. */
export class TransientError extends Error {
  constructor(message: string, readonly retryAfterMs: number | null = null) {
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
