import { createHmac, timingSafeEqual } from 'node:crypto';

/** Who an export belongs to: only the same agency's same subject may see or fetch it. */
export interface ExportOwner {
  agency: string;
  subject: string;
}

/**
 * Download links of finished exports: `/exports/<id>/file?expires=…&signature=…`, an HMAC of the
 * export, its owner and the expiry under a key of the hub's own. A link past its expiry, altered,
 * or presented with another caller's token is refused: the token must still be the owner's.
 */
export class ExportLinks {
  constructor(
    private readonly key: Buffer,
    private readonly ttlSeconds: number,
  ) {}

  private signatureOf(id: string, owner: ExportOwner, expires: number): string {
    return createHmac('sha256', this.key).update(`${id}\n${owner.agency}\n${owner.subject}\n${expires}`).digest('base64url');
  }

  /** A link valid for the configured time from `now` (ms). */
  linkFor(id: string, owner: ExportOwner, now = Date.now()): { url: string; expiresAt: string } {
    const expires = Math.floor(now / 1000) + this.ttlSeconds;
    const url = `/exports/${encodeURIComponent(id)}/file?expires=${expires}&signature=${this.signatureOf(id, owner, expires)}`;
    return { url, expiresAt: new Date(expires * 1000).toISOString() };
  }

  /** Whether `search` (the link's query) is a valid, unexpired link to `id` for `owner`: null, or why not. */
  problemWith(id: string, owner: ExportOwner, search: URLSearchParams, now = Date.now()): string | null {
    const expires = Number(search.get('expires'));
    const signature = Buffer.from(search.get('signature') ?? '');
    const expected = Buffer.from(this.signatureOf(id, owner, expires));
    if (!Number.isInteger(expires) || signature.length !== expected.length || !timingSafeEqual(signature, expected))
      return 'the link is not valid for this caller';
    if (expires * 1000 < now) return 'the link has expired';
    return null;
  }
}
