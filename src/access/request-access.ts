import { AccessDeniedError, InvalidInputError, type HubError } from '../errors';
import type { OperationAnalysis } from '../read-kit/operation/operation-analysis';
import type { Viewer } from '../read-kit/request-context';
import type { ReadScope } from '../read-kit/rows/read-scope';
import type { RowScope } from '../read-kit/rows/row-scope';
import type { AccessGrant, AccessPolicy } from './access-grant';
import type { Agreement, FieldMode } from './agreements';
import { authorizeOperation, type DeclaredReason } from './authorize-operation';
import { bindCase } from './case-binding';
import type { OperationAccess } from './check-operation';
import { reasonFromExtensions, reasonFromHeaders } from './declared-reason';

const NO_REASON: DeclaredReason = Object.freeze({ purpose: null, caseNumber: null, agreement: null, caseScope: null });

/** What a request sends that access reads before its operation is known. */
export interface DeclaringRequest {
  extensions?: Record<string, unknown>;
  header(name: string): string | undefined;
}

/**
 * One verified caller's access during one request, from its token to the check before execution.
 * It is the only holder of the request's access state, and the only one to change it, in order:
 * `declare` (the reason the request states: its one agreement is chosen, or why there is none),
 * `authorize` (the resolved operation checked, its case bound) and, for any earlier refusal,
 * `deny`. Each step replaces the grant with a new immutable one. Everything else (the field
 * guard, repositories, loaders, `myAccess`, the audit) only reads it.
 */
export class RequestAccess {
  /** Agreements naming the caller's agency and one of its roles, in force or not. */
  readonly covering: readonly Agreement[];
  private current: AccessGrant;
  private declared: DeclaredReason = NO_REASON;
  private step: 'created' | 'declared' | 'authorized' = 'created';
  /** A purpose, case number or agreement declared but unusable (too long, malformed): refuses the request. */
  private invalidReason: InvalidInputError | null = null;
  private noAgreement: AccessDeniedError | null = null;
  private checked: OperationAccess | null = null;
  private refused: HubError | null = null;
  private readonly resolved: Record<string, number> = {};
  private readonly credited: Record<string, number> = {};
  private readonly creditedCount: Record<string, number> = {};

  constructor(
    readonly viewer: Viewer,
    private readonly policy: AccessPolicy,
  ) {
    this.covering = policy.agreementsOf(viewer);
    this.current = policy.emptyGrant(viewer);
  }

  /** The grant the request is read under: empty until `declare`, case-bound after `authorize` where a case applies. */
  get grant(): AccessGrant {
    return this.current;
  }

  /** What the request declared (all null until `declare`, or when what it declared was unusable). */
  get reason(): DeclaredReason {
    return this.declared;
  }

  /** Why the caller gets nothing beyond `myAccess` (no agreement, or none in force), if so. */
  get refusal(): AccessDeniedError | null {
    return this.noAgreement;
  }

  /** What the operation reads, once it was authorized. */
  get authorized(): OperationAccess | null {
    return this.checked;
  }

  /** Why the request was refused before execution (shape, limits, access), if it was. */
  get denied(): HubError | null {
    return this.refused;
  }

  /** Entities federation references resolved to, per type (the audit's record counts for `_entities`). */
  get resolvedEntities(): Readonly<Record<string, number>> {
    return this.resolved;
  }

  /**
   * Reads the reason the request declares (extensions over headers) and chooses the one agreement
   * it is judged under. A refusal here is kept, not thrown: `myAccess` stays open to show why.
   */
  declare(request: DeclaringRequest): void {
    if (this.step !== 'created') throw new Error('A request declares its reason once');
    this.step = 'declared';
    try {
      this.declared = reasonFromExtensions(
        request.extensions,
        reasonFromHeaders((name) => request.header(name)),
      );
    } catch (error) {
      if (!(error instanceof InvalidInputError)) throw error;
      this.invalidReason = error;
      return;
    }
    try {
      const agreement = this.policy.agreementFor(this.viewer, new Date(), this.declared.purpose, this.declared.agreement);
      this.current = this.policy.grantUnder(this.viewer, agreement);
    } catch (error) {
      if (!(error instanceof AccessDeniedError)) throw error;
      this.noAgreement = error;
    }
  }

  /**
   * Checks the resolved operation against the grant before anything runs (`authorizeOperation`)
   * and binds the grant to the case it was checked against. Throws the refusal, which is kept
   * for the audit. `scope` is what the case is read with: the request's reads, whose row scopes
   * are this access's, so the case is read under the grant as it stands before the binding. Does
   * nothing for a request a check before this one refused.
   */
  async authorize(analysis: OperationAnalysis, variables: Record<string, unknown>, scope: ReadScope): Promise<void> {
    if (this.refused) return;
    if (this.step !== 'declared') throw new Error('A request is authorized once, after it declared its reason');
    this.step = 'authorized';
    if (this.invalidReason) throw this.deny(this.invalidReason);
    try {
      if (this.noAgreement) {
        // Only the caller's own description is open without an agreement in force (the empty
        // grant grants nothing else).
        const refusal = this.noAgreement;
        this.checked = (
          await authorizeOperation(analysis, this.current, NO_REASON, scope).catch(() => {
            throw refusal;
          })
        ).access;
        return;
      }
      const { access, caseBinding } = await authorizeOperation(analysis, this.current, this.declared, scope, variables);
      if (caseBinding) this.current = this.current.withCase(caseBinding);
      this.checked = access;
    } catch (error) {
      if (error instanceof AccessDeniedError) throw this.deny(error);
      throw error;
    }
  }

  /** Records the request's refusal before execution (the first one stands) and returns it, to be thrown. */
  deny(error: HubError): HubError {
    this.refused ??= error;
    return error;
  }

  /** Records of other types read through a hub-native one, per type (`ReadCredit`): reads of their providers in the audit. */
  get creditedReads(): Readonly<Record<string, number>> {
    return this.credited;
  }

  /** Credits `records` of `typeName` read through a hub-native type (a clue's evidence) to that type's provider. */
  creditRead(typeName: string, records: number): void {
    if (records > 0) this.credited[typeName] = (this.credited[typeName] ?? 0) + records;
  }

  /**
   * The plates an open case the caller holds names (`CaseCheck`): bound as a read of captures
   * binds it (`bindCase`, never widened to ALL_PLATES), under the grant as it stands; throws its refusal.
   */
  async platesOfCase(caseNumber: string, scope: ReadScope): Promise<ReadonlyArray<readonly [string, string]>> {
    const binding = await bindCase(scope, this.current, caseNumber, null);
    return binding.scope === 'CASE_VEHICLES' ? binding.plates : [];
  }

  /** Records of `typeName` an aggregate counted: audited as counted, as a `totalCount` is. */
  get creditedCounts(): Readonly<Record<string, number>> {
    return this.creditedCount;
  }

  creditCount(typeName: string, records: number): void {
    if (records > 0) this.creditedCount[typeName] = (this.creditedCount[typeName] ?? 0) + records;
  }

  /** Counts an entity a federation reference resolved to. */
  countResolved(typeName: string): void {
    this.resolved[typeName] = (this.resolved[typeName] ?? 0) + 1;
  }

  // What the field guard and the repositories ask, answered by the current grant.

  modeOf(typeName: string, fieldName: string): FieldMode | null {
    return this.current.modeOf(typeName, fieldName);
  }

  /** Whether the grant names the field in full (`FieldGrants`): a masked grant does not hand over the values a summary counts. */
  grants(typeName: string, fieldName: string): boolean {
    return this.current.modeOf(typeName, fieldName)?.kind === 'full';
  }

  shows(typeName: string, fieldName: string): boolean {
    return this.current.modeOf(typeName, fieldName) !== null;
  }

  get introspection(): boolean {
    return this.current.introspection;
  }

  rowScopeOf(typeName: string): RowScope | null {
    return this.current.rowScopeOf(typeName);
  }

  aggregateScopeOf(typeName: string): RowScope | null {
    return this.current.aggregateScopeOf(typeName);
  }

  aggregateFieldsOf(typeName: string): ReadonlySet<string> {
    return this.current.aggregateOf(typeName)?.fields ?? new Set();
  }

  /** The k of the agreement's aggregate grant on `typeName` (`AggregateGrants`), or null: none. */
  aggregateK(typeName: string): number | null {
    return this.current.aggregateOf(typeName)?.k ?? null;
  }
}
