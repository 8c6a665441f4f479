import { AccessDeniedError, ErrorCode } from '../errors';
import type { Viewer } from '../read-kit/request-context';
import type { ResolvedCondition, RowScope } from '../read-kit/rows/row-scope';
import type { AggregateGrant, Agreement, FieldMode, Jurisdictions, RowCondition } from './agreements';

/** How far the case a request was checked against reaches into checkpoint captures. */
export type CaseBinding =
  { caseNumber: string; scope: 'CASE_VEHICLES'; plates: Array<readonly [string, string]> } | { caseNumber: string; scope: 'ALL_PLATES' };

/**
 * What one caller may read in one request: the single agreement the request is judged under
 * (see `AccessPolicy.agreementFor`), its fields, masks, row scopes and case rules together, and
 * the case its captures are bound to. Immutable: a request moves from the empty grant to its
 * agreement's, then to the case-bound one (`withCase`), each a new grant (see request-access.ts).
 * Decisions depend only on the grant, so row scopes are worked out once per type.
 */
export class AccessGrant {
  private readonly scopes = new Map<string, RowScope | null>();
  private readonly current: Agreement | null;

  constructor(
    readonly viewer: Viewer,
    agreements: readonly Agreement[] = [],
    private readonly jurisdictions: Jurisdictions = new Map(),
    private readonly binding: CaseBinding | null = null,
  ) {
    if (agreements.length > 1) throw new Error('A grant is made of one agreement');
    this.current = agreements[0] ?? null;
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

  /** The aggregates of `typeName` the agreement grants, or null: none. */
  aggregateOf(typeName: string): AggregateGrant | null {
    return this.current?.aggregates.get(typeName) ?? null;
  }

  /**
   * The rows of `typeName` the caller's aggregates count: with an aggregate grant, the type's row
   * scope in the agreement (a case binding never applies: aggregates read no capture of anyone's
   * case, only units of k or more), else none (fail closed).
   */
  aggregateScopeOf(typeName: string): RowScope | null {
    const agreement = this.current;
    if (!agreement?.aggregates.has(typeName)) return [];
    const conditions = agreement.rowScopes.get(typeName);
    return conditions ? [conditions.map((c) => this.resolve(typeName, c))] : null;
  }

  /** The case the request's captures are bound to, once checked (null: none). */
  get caseBinding(): CaseBinding | null {
    return this.binding;
  }

  /** This grant with checkpoint captures bound to the case the request was checked against (see case-binding.ts). */
  withCase(binding: CaseBinding): AccessGrant {
    return new AccessGrant(this.viewer, this.agreements, this.jurisdictions, binding);
  }

  /** Whether the caller may read `source`'s data-access report: its own agency's, or any where the agreement says so. */
  readsDataAccessReportOf(source: string): boolean {
    return source === this.viewer.agency || this.current?.dataAccessReports === 'every-agency';
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
        anyOf: (this.jurisdictions.get(typeName) ?? []).map((rule) =>
          rule.via ? { via: rule.via, field: rule.field, startsWithAny: divisions } : { field: rule.field, startsWithAny: divisions },
        ),
      };
    }
    if ('anyOf' in condition) return { anyOf: condition.anyOf.map((c) => this.resolve(typeName, c)) };
    if ('via' in condition) return condition;
    if ('equals' in condition) return condition;
    if ('overlapsAny' in condition) return { field: condition.field, overlapsAny: this.valuesOf(condition.overlapsAny) };
    return { field: condition.field, startsWithAny: this.valuesOf(condition.startsWithAny) };
  }

  /** A condition's values: as the agreement lists them, or the caller's claim it names (`$viewer.divisions`). */
  private valuesOf(values: string[] | string): string[] {
    return Array.isArray(values) ? values : this.claim(values);
  }
}

/** Whether an agreement is valid at `now` (both ends included). */
export const inForce = (agreement: Agreement, now: Date): boolean => agreement.validFrom <= now && now <= agreement.validUntil;

/** All agreements, and the one each request is judged under. */
export class AccessPolicy {
  constructor(
    readonly agreements: readonly Agreement[],
    readonly jurisdictions: Jurisdictions = new Map(),
  ) {}

  /** The agreements naming the caller's agency and one of its roles, valid or not. */
  agreementsOf(viewer: Viewer): Agreement[] {
    return this.agreements.filter((a) => a.consumer.agency === viewer.agency && a.consumer.roles.some((r) => viewer.roles.includes(r)));
  }

  /** The grant before the request's agreement is chosen, or when none can be: nothing. */
  emptyGrant(viewer: Viewer): AccessGrant {
    return new AccessGrant(viewer, [], this.jurisdictions);
  }

  /** The grant of `agreement` (one of the caller's, see `agreementFor`). */
  grantUnder(viewer: Viewer, agreement: Agreement): AccessGrant {
    return new AccessGrant(viewer, [agreement], this.jurisdictions);
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
      throw new AccessDeniedError(ErrorCode.NO_AGREEMENT, `No data-sharing agreement covers ${viewer.agency} (${viewer.roles.join(', ')})`, {
        agency: viewer.agency,
        roles: viewer.roles,
      });
    }
    if (named !== null) {
      const agreement = covering.find((a) => a.id === named);
      if (!agreement) {
        throw new AccessDeniedError(
          ErrorCode.NO_AGREEMENT,
          `Agreement ${named} does not cover ${viewer.agency} (${viewer.roles.join(', ')}); covering: ${covering.map((a) => a.id).join(', ')}`,
          {
            agreement: named,
            candidates: covering.map((a) => a.id),
          },
        );
      }
      if (!inForce(agreement, now)) throw expired(agreement);
      if (purpose !== null && !agreement.purposes.includes(purpose)) {
        throw new AccessDeniedError(
          ErrorCode.PURPOSE_NOT_PERMITTED,
          `Purpose "${purpose}" is not permitted by ${agreement.id}; permitted: ${agreement.purposes.join(', ')}`,
          {
            purpose,
            permitted: agreement.purposes,
            agreement: agreement.id,
          },
        );
      }
      return agreement;
    }
    const valid = covering.filter((a) => inForce(a, now));
    if (valid.length === 0) throw expired(covering.reduce((a, b) => (a.validUntil > b.validUntil ? a : b)));
    const fitting = purpose === null ? valid : valid.filter((a) => a.purposes.includes(purpose));
    if (fitting.length === 0) {
      const permitted = [...new Set(valid.flatMap((a) => a.purposes))];
      throw new AccessDeniedError(ErrorCode.PURPOSE_NOT_PERMITTED, `Purpose "${purpose}" is not permitted; permitted: ${permitted.join(', ')}`, {
        purpose,
        permitted,
      });
    }
    if (fitting.length > 1) {
      const candidates = fitting.map((a) => a.id);
      throw new AccessDeniedError(
        ErrorCode.AGREEMENT_AMBIGUOUS,
        `${purpose === null ? 'Without a declared purpose' : `For purpose "${purpose}"`} ${candidates.length} agreements apply (${candidates.join(', ')}); name one in extensions.agreement or the x-agreement header`,
        { purpose, candidates },
      );
    }
    return fitting[0];
  }
}

/** The refusal of a request whose agreement is not in force. */
export function expired(agreement: Agreement): AccessDeniedError {
  return new AccessDeniedError(
    ErrorCode.AGREEMENT_EXPIRED,
    `Agreement ${agreement.id} is not in force (valid ${agreement.validFrom.toISOString()} to ${agreement.validUntil.toISOString()})`,
    {
      agreement: agreement.id,
      validFrom: agreement.validFrom.toISOString(),
      validUntil: agreement.validUntil.toISOString(),
    },
  );
}
