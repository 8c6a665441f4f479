import { AccessDeniedError, ErrorCode } from '../errors';
import type { Viewer } from '../graphql/context';
import type { Agreement, FieldMode, RowCondition } from './agreements';

/** A row condition with the caller's claims filled in. */
export type ResolvedCondition =
  | { field: string; startsWithAny: string[] }
  | { field: string; equals: string | number | boolean };

/** Rows visible under a scope: any one alternative holds, and within it every condition. */
export type RowScope = ResolvedCondition[][];

/**
 * What one caller may read right now: the union of the valid agreements covering its agency and
 * roles. Decisions depend only on the caller, so they are made once per type and field.
 */
export class AccessGrant {
  private readonly modes = new Map<string, Map<string, FieldMode>>();
  private readonly scopes = new Map<string, RowScope | null>();
  private current: readonly Agreement[] = [];
  private purposeSet: ReadonlySet<string> = new Set();
  private introspectionGranted = false;
  private allowed: ReadonlySet<string> | null = null;

  constructor(readonly viewer: Viewer, agreements: readonly Agreement[]) {
    this.settle(agreements);
  }

  /**
   * Sets the agreements the grant is made of. A request's grant is created with its context (the
   * loaders hold it) and settled once the declared purpose is known, so it stays one object.
   */
  settle(agreements: readonly Agreement[]): void {
    this.current = agreements;
    this.modes.clear();
    this.scopes.clear();
    for (const agreement of agreements) {
      for (const [typeName, fields] of agreement.fields) {
        const merged = this.modes.get(typeName) ?? new Map<string, FieldMode>();
        for (const [fieldName, mode] of fields) {
          // Of two agreements, the wider grant wins: full over masked.
          if (merged.get(fieldName)?.kind !== 'full') merged.set(fieldName, mode);
        }
        this.modes.set(typeName, merged);
      }
    }
    this.purposeSet = new Set(agreements.flatMap((a) => a.purposes));
    this.introspectionGranted = agreements.some((a) => a.introspection);
    this.allowed = agreements.length && agreements.every((a) => a.allowedOperations)
      ? new Set(agreements.flatMap((a) => [...a.allowedOperations!]))
      : null;
  }

  get agreements(): readonly Agreement[] {
    return this.current;
  }

  get purposes(): ReadonlySet<string> {
    return this.purposeSet;
  }

  get introspection(): boolean {
    return this.introspectionGranted;
  }

  /** The only operations the caller may send, normalised; null when its agreements allow any. */
  get allowedOperations(): ReadonlySet<string> | null {
    return this.allowed;
  }

  /** The mode a field is granted in, or null: denied. */
  modeOf(typeName: string, fieldName: string): FieldMode | null {
    return this.modes.get(typeName)?.get(fieldName) ?? null;
  }

  /** Every granted field, per type (for `myAccess`). */
  grantedTypes(): ReadonlyMap<string, ReadonlyMap<string, FieldMode>> {
    return this.modes;
  }

  /**
   * The rows of `typeName` the caller may see, or null for all of them. An agreement granting the
   * type without a scope makes it unscoped; a claim the token lacks matches nothing (fail closed).
   */
  rowScopeOf(typeName: string): RowScope | null {
    if (this.scopes.has(typeName)) return this.scopes.get(typeName)!;
    let scope: RowScope | null = [];
    for (const agreement of this.agreements) {
      if (!agreement.fields.has(typeName)) continue;
      const conditions = agreement.rowScopes.get(typeName);
      if (!conditions) {
        scope = null;
        break;
      }
      scope.push(conditions.map((c) => this.resolve(c)));
    }
    this.scopes.set(typeName, scope);
    return scope;
  }

  private resolve(condition: RowCondition): ResolvedCondition {
    if ('equals' in condition) return condition;
    if (Array.isArray(condition.startsWithAny)) return { field: condition.field, startsWithAny: condition.startsWithAny };
    const claim = condition.startsWithAny.slice('$viewer.'.length);
    const values = claim === 'divisions' ? this.viewer.divisions : [];
    return { field: condition.field, startsWithAny: values };
  }
}

/** All agreements, and the grant each caller gets from them at a given time. */
export class AccessPolicy {
  constructor(readonly agreements: readonly Agreement[]) {}

  /** The agreements naming the caller's agency and one of its roles, valid or not. */
  agreementsOf(viewer: Viewer): Agreement[] {
    return this.agreements.filter((a) => a.consumer.agency === viewer.agency && a.consumer.roles.some((r) => viewer.roles.includes(r)));
  }

  /** A grant of nothing, for a caller refused outright (it may still ask `myAccess`). */
  emptyGrant(viewer: Viewer): AccessGrant {
    return new AccessGrant(viewer, []);
  }

  /**
   * The agreements a caller reads under at `now` for the declared `purpose`: only those in force
   * that permit that purpose, so a caller with two roles cannot read one agreement's fields for
   * the other's purpose. Refused with its own code when no agreement is in force or none permits it.
   */
  agreementsFor(viewer: Viewer, now: Date, purpose: string | null): Agreement[] {
    const covering = this.agreementsOf(viewer);
    if (covering.length === 0) {
      throw new AccessDeniedError(ErrorCode.NO_AGREEMENT, `No data-sharing agreement covers ${viewer.agency} (${viewer.roles.join(', ')})`, { agency: viewer.agency, roles: viewer.roles });
    }
    const valid = covering.filter((a) => a.validFrom <= now && now <= a.validUntil);
    if (valid.length === 0) {
      const latest = covering.reduce((a, b) => (a.validUntil > b.validUntil ? a : b));
      throw new AccessDeniedError(ErrorCode.AGREEMENT_EXPIRED, `Agreement ${latest.id} is not in force (valid ${latest.validFrom.toISOString()} to ${latest.validUntil.toISOString()})`, {
        agreement: latest.id, validFrom: latest.validFrom.toISOString(), validUntil: latest.validUntil.toISOString(),
      });
    }
    if (purpose === null) return valid;
    const permitting = valid.filter((a) => a.purposes.includes(purpose));
    if (permitting.length === 0) {
      const permitted = [...new Set(valid.flatMap((a) => a.purposes))];
      throw new AccessDeniedError(ErrorCode.PURPOSE_NOT_PERMITTED, `Purpose "${purpose}" is not permitted; permitted: ${permitted.join(', ')}`, { purpose, permitted });
    }
    return permitting;
  }
}
