import type { RecordSystem } from '../../connectors/contract/canonical/codes';

/** One agency around the hub, as the agreements file's `agencies` section declares it. */
export interface Agency {
  id: string;
  /** The roles its tokens may carry: agreements cover only these, development tokens are minted for these. */
  roles: readonly string[];
  /** The systems it runs, upstream ones or the hub itself (a record's provenance names the system, this the agency). */
  systems: readonly RecordSystem[];
  /** The types whose records come from its systems: the provider a data-access report is written for. */
  provides: readonly string[];
}

/**
 * Every agency the hub knows, read from the agreements file (see `loadAgencies` in
 * access/agreements.ts): the one place that says which agencies exist, which roles their tokens
 * carry, which systems they run and which records they provide. Authentication (which issuers may
 * speak for whom), the agreements (whom they may cover), the audit (whose records a request read)
 * and provenance (who owns a record's system) all read it.
 */
export class AgencyRegistry {
  private readonly byId: ReadonlyMap<string, Agency>;
  private readonly providerOfType: ReadonlyMap<string, string>;
  private readonly ownerOfSystem: ReadonlyMap<string, string>;

  /** The parser checks the facts (a system or type named twice, an unknown role); this only indexes them. */
  constructor(agencies: readonly Agency[]) {
    this.byId = new Map(agencies.map((a) => [a.id, a]));
    this.providerOfType = new Map(agencies.flatMap((a) => a.provides.map((type) => [type, a.id] as const)));
    this.ownerOfSystem = new Map(agencies.flatMap((a) => a.systems.map((system) => [system, a.id] as const)));
  }

  /** Agency ids, in the order the file declares them. */
  get ids(): readonly string[] {
    return [...this.byId.keys()];
  }

  has(agency: string): boolean {
    return this.byId.has(agency);
  }

  /** The roles an agency's tokens may carry; none for an unknown agency. */
  rolesOf(agency: string): readonly string[] {
    return this.byId.get(agency)?.roles ?? [];
  }

  /** The agency whose records a type holds, or null (the hub's own types: audit events, sync state). */
  providerOf(typeName: string): string | null {
    return this.providerOfType.get(typeName) ?? null;
  }

  /** The agency that runs a system, the hub included (the file declares an owner for every system). */
  ownerOf(system: RecordSystem): string {
    const owner = this.ownerOfSystem.get(system);
    if (!owner) throw new Error(`No agency runs ${system}`);
    return owner;
  }
}

/** The audience every token for this hub names. */
export const HUB_AUDIENCE = 'urn:xietong:suzhou-hub';
