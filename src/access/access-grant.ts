import { AccessDeniedError, ErrorCode } from '../errors';
import type { Viewer } from '../read-kit/request-context';
import type { ResolvedCondition, RowScope } from '../read-kit/rows/row-scope';
import type { Agreement, FieldMode, Jurisdictions, RowCondition } from './agreements';

/** How far the case a request was checked against reaches into checkpoint captures. */
export type CaseBinding =
  | { caseNumber: string; scope: 'CASE_VEHICLES'; plates: Array<readonly [string, string]> }
  | { caseNumber: string; scope: 'ALL_PLATES' };

/**
 * What one caller may read in one request: the single agreement the request is judged under
 * (see `AccessPolicy.agreementFor`), its fields, masks, row scopes and case rules together.
 * Decisions depend only on the caller, so they are made once per type and field.
 */
export class AccessGrant {
  private readonly scopes = new Map<string, RowScope | null>();
  private current: Agreement | null = null;
  private binding: CaseBinding | null = null;

  constructor(readonly viewer: Viewer, agreements: readonly Agreement[] = [], private readonly jurisdictions: Jurisdictions = new Map()) {
    if (agreements.length > 1) throw new Error('A grant is made of one agreement');
    this.settle(agreements[0] ?? null);
  }

  /**
   * Sets the agreement the request is judged under. A request's grant is created with its context
   * (the loaders hold it) and settled once the declared purpose is known, so it stays one object.
   */
  settle(agreement: Agreement | null): void {
    this.current = agreement;
    this.binding = null;
    this.scopes.clear();
  }

  /** The agreement the request is judged under, or null (refused: only `myAccess` is open). */
  get agreement(): Agreement | null {
    return this.current;
  }

  /** The agreement as a list (empty or one), for records that list agreements. */
  get agreements(): readonly Agreement[] {
    return this.current ? [this.current] : [];
  }

  get purposes(): ReadonlySet<string> {
    return new Set(this.current?.purposes ?? []);
  }

  get introspection(): boolean {
    return this.current?.introspection ?? false;
  }

  /** The only operations the caller may send, normalised; null when its agreement allows any. */
  get allowedOperations(): ReadonlySet<string> | null {
    return this.current?.allowedOperations ?? null;
  }

  /** The mode a field is granted in, or null: denied. */
  modeOf(typeName: string, fieldName: string): FieldMode | null {
    return this.current?.fields.get(typeName)?.get(fieldName) ?? null;
  }

  /** Every granted field, per type (for `myAccess`). */
  grantedTypes(): ReadonlyMap<string, ReadonlyMap<string, FieldMode>> {
    return this.current?.fields ?? new Map();
  }

  /** The case the request's captures are bound to, once checked (null: none). */
  get caseBinding(): CaseBinding | null {
    return this.binding;
  }

  /** Binds checkpoint captures to the case the request was checked against (see case-binding.ts). */
  bindCase(binding: CaseBinding): void {
    this.binding = binding;
    this.scopes.delete('CheckpointCapture');
  }

  /**
   * The rows of `typeName` the caller may see, or null for all of them. A type the agreement does
   * not grant has no visible rows; a claim the token lacks matches nothing (fail closed).
   */
  rowScopeOf(typeName: string): RowScope | null {
    if (this.scopes.has(typeName)) return this.scopes.get(typeName)!;
    const agreement = this.current;
    let scope: RowScope | null;
    if (!agreement || !agreement.fields.has(typeName)) scope = [];
    else {
      const conditions = agreement.rowScopes.get(typeName);
      scope = conditions ? [conditions.map((c) => this.resolve(typeName, c))] : null;
    }
    if (typeName === 'CheckpointCapture') {
      // Captures are read only under a case (fail closed should a path reach them unchecked), and
      // unless the case was widened to ALL_PLATES, only those of the plates it names.
      if (this.binding === null) scope = [];
      else if (this.binding.scope === 'CASE_VEHICLES' && scope?.length !== 0) {
        const plates: ResolvedCondition = { plates: this.binding.plates };
        scope = scope === null ? [[plates]] : scope.map((conditions) => [...conditions, plates]);
      }
    }
    this.scopes.set(typeName, scope);
    return scope;
  }

  private claim(reference: string): string[] {
    const claim = reference.slice('$viewer.'.length);
    return claim === 'divisions' ? this.viewer.divisions : [];
  }

  private resolve(typeName: string, condition: RowCondition): ResolvedCondition {
    if ('inJurisdictionOf' in condition) {
      const divisions = this.claim(condition.inJurisdictionOf);
      return {
        anyOf: (this.jurisdictions.get(typeName) ?? []).map((rule) => (rule.via
          ? { via: rule.via, field: rule.field, startsWithAny: divisions }
          : { field: rule.field, startsWithAny: divisions })),
      };
    }
    if ('equals' in condition) return condition;
    if (Array.isArray(condition.startsWithAny)) return { field: condition.field, startsWithAny: condition.startsWithAny };
    return { field: condition.field, startsWithAny: this.claim(condition.startsWithAny) };
  }
}

/** Whether an agreement is valid at `now` (both ends included). */
export const inForce = (agreement: Agreement, now: Date): boolean => agreement.validFrom <= now && now <= agreement.validUntil;

/** All agreements, and the one each request is judged under. */
export class AccessPolicy {
  constructor(readonly agreements: readonly Agreement[], readonly jurisdictions: Jurisdictions = new Map()) {}

  /** The agreements naming the caller's agency and one of its roles, valid or not. */
  agreementsOf(viewer: Viewer): Agreement[] {
    return this.agreements.filter((a) => a.consumer.agency === viewer.agency && a.consumer.roles.some((r) => viewer.roles.includes(r)));
  }

  /** A grant not yet settled: nothing until the request's agreement is chosen. */
  emptyGrant(viewer: Viewer): AccessGrant {
    return new AccessGrant(viewer, [], this.jurisdictions);
  }

  /**
   * The one agreement a request is judged under at `now`: in force, covering the caller's agency
   * and one of its roles, permitting the declared `purpose`. A caller with several roles never
   * reads one agreement's fields under another's row scope: when several fit, the request must
   * name one (`named`, from `extensions.agreement` or `x-agreement`). Without a purpose, the
   * caller's only agreement in force is used. Each refusal has its own code.
   */
  agreementFor(viewer: Viewer, now: Date, purpose: string | null, named: string | null = null): Agreement {
    const covering = this.agreementsOf(viewer);
    if (covering.length === 0) {
      throw new AccessDeniedError(ErrorCode.NO_AGREEMENT, `No data-sharing agreement covers ${viewer.agency} (${viewer.roles.join(', ')})`, { agency: viewer.agency, roles: viewer.roles });
    }
    if (named !== null) {
      const agreement = covering.find((a) => a.id === named);
      if (!agreement) {
        throw new AccessDeniedError(ErrorCode.NO_AGREEMENT, `Agreement ${named} does not cover ${viewer.agency} (${viewer.roles.join(', ')}); covering: ${covering.map((a) => a.id).join(', ')}`, {
          agreement: named, candidates: covering.map((a) => a.id),
        });
      }
      if (!inForce(agreement, now)) throw expired(agreement);
      if (purpose !== null && !agreement.purposes.includes(purpose)) {
        throw new AccessDeniedError(ErrorCode.PURPOSE_NOT_PERMITTED, `Purpose "${purpose}" is not permitted by ${agreement.id}; permitted: ${agreement.purposes.join(', ')}`, {
          purpose, permitted: agreement.purposes, agreement: agreement.id,
        });
      }
      return agreement;
    }
    const valid = covering.filter((a) => inForce(a, now));
    if (valid.length === 0) throw expired(covering.reduce((a, b) => (a.validUntil > b.validUntil ? a : b)));
    const fitting = purpose === null ? valid : valid.filter((a) => a.purposes.includes(purpose));
    if (fitting.length === 0) {
      const permitted = [...new Set(valid.flatMap((a) => a.purposes))];
      throw new AccessDeniedError(ErrorCode.PURPOSE_NOT_PERMITTED, `Purpose "${purpose}" is not permitted; permitted: ${permitted.join(', ')}`, { purpose, permitted });
    }
    if (fitting.length > 1) {
      const candidates = fitting.map((a) => a.id);
      throw new AccessDeniedError(ErrorCode.AGREEMENT_AMBIGUOUS,
        `${purpose === null ? 'Without a declared purpose' : `For purpose "${purpose}"`} ${candidates.length} agreements apply (${candidates.join(', ')}); name one in extensions.agreement or the x-agreement header`,
        { purpose, candidates });
    }
    return fitting[0];
  }
}

function expired(agreement: Agreement): AccessDeniedError {
  return new AccessDeniedError(ErrorCode.AGREEMENT_EXPIRED, `Agreement ${agreement.id} is not in force (valid ${agreement.validFrom.toISOString()} to ${agreement.validUntil.toISOString()})`, {
    agreement: agreement.id, validFrom: agreement.validFrom.toISOString(), validUntil: agreement.validUntil.toISOString(),
  });
}
