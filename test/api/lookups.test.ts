import {
  CheckpointByCodeDocument,
  Enterprise360Document,
  EnterpriseByUsccDocument,
  PractitionerByIdDocument,
  VehicleByPlateDocument,
} from '../generated/graphql';
import { execute, query } from '../support/graphql-client';
import { startTestHub, type TestHub } from '../support/test-hub';

let t: TestHub;
beforeAll(async () => {
  t = await startTestHub('lookups');
});
afterAll(async () => {
  await t?.close();
});

describe('root lookups by natural key', () => {
  it('enterprise(uscc) returns the synced record with its provenance', async () => {
    const e = t.world.enterprises[3];
    const data = await query(t.hub.graphqlUrl, EnterpriseByUsccDocument, { uscc: e.uscc });
    expect(data.enterprise).toEqual({
      uscc: e.uscc,
      name: e.name,
      type: e.type,
      status: e.status,
      legalRepresentative: e.legalRepresentative,
      registeredCapitalYuan: e.registeredCapitalYuan,
      establishedOn: e.establishedOn,
      address: e.address,
      divisionCode: e.divisionCode,
      businessScope: e.businessScope,
      provenance: {
        system: 'MARKET_REGISTRY',
        agency: 'suzhou-amr',
        recordId: e.uscc,
        sourceUpdatedAt: new Date(e.updatedAt).toISOString(),
        syncedAt: expect.any(String),
      },
    });
  });

  it('Enterprise360: credit ratings on the source scale, newest first, linked back to the subject', async () => {
    const subject = t.world.creditRatings[0].subjectUscc;
    const expected = t.world.creditRatings
      .filter((r) => r.subjectUscc === subject)
      .sort((a, b) => b.year - a.year || a.sourceId.localeCompare(b.sourceId))
      .map((r) => ({
        grade: r.grade,
        sourceGrade: r.sourceGrade,
        score: r.score,
        penaltyPoints: r.penaltyPoints,
        year: r.year,
        ratingAuthority: r.ratingAuthority,
        subject: { uscc: subject },
      }));
    const data = await query(t.hub.graphqlUrl, Enterprise360Document, { uscc: subject });
    expect(data.enterprise?.creditRatings).toEqual(expected);
  });

  it('normalises the identifier before looking it up (lower case, full-width, spaces)', async () => {
    const e = t.world.enterprises[0];
    const messy = ` ${e.uscc.toLowerCase()} `;
    const data = await query(t.hub.graphqlUrl, EnterpriseByUsccDocument, { uscc: messy });
    expect(data.enterprise?.uscc).toBe(e.uscc);
  });

  it('returns null for a well-formed code the hub does not know', async () => {
    // A valid code (check character computed per GB 32100) that the world does not contain.
    const known = new Set(t.world.enterprises.map((e) => e.uscc));
    expect(known.has('91350100M000100Y43')).toBe(false);
    const result = await execute(t.hub.graphqlUrl, EnterpriseByUsccDocument, { uscc: '91350100M000100Y43' });
    expect(result.errors).toBeUndefined();
    expect(result.data?.enterprise).toBeNull();
  });

  it.each([
    ['too short', '9135010'],
    ['a wrong check character', '91350100M000100Y44'],
    ['a forbidden letter', '91350100M000100YI3'],
    ['SQL', "' or 1=1 --"],
  ])('refuses a credit code with %s as BAD_USER_INPUT naming the argument', async (_label, uscc) => {
    const { statements, result } = await t.hub.db.counter.measure(() => execute(t.hub.graphqlUrl, EnterpriseByUsccDocument, { uscc }));
    expect(result.data?.enterprise ?? null).toBeNull();
    expect(result.errors).toHaveLength(1);
    expect(result.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'uscc', reason: expect.any(String) });
    expect(statements).toBe(0);
  });

  it('vehicle(plateNumber, plateColor) joins the owner, weighings and cases', async () => {
    const v = t.world.vehicles.find((x) => x.ownerUscc && t.world.weighings.some((w) => w.plateNumber === x.plateNumber && w.plateColor === x.plateColor))!;
    expect(v).toBeDefined();
    const data = await query(t.hub.graphqlUrl, VehicleByPlateDocument, { plateNumber: v.plateNumber, plateColor: v.plateColor as never });
    const owner = t.world.enterprises.find((e) => e.uscc === v.ownerUscc)!;
    const weighings = t.world.weighings
      .filter((w) => w.plateNumber === v.plateNumber && w.plateColor === v.plateColor)
      .sort((a, b) => b.measuredAt.localeCompare(a.measuredAt) || a.sourceId.localeCompare(b.sourceId));
    expect(data.vehicle).toMatchObject({
      plateNumber: v.plateNumber,
      plateColor: v.plateColor,
      vin: v.vin,
      vehicleType: v.vehicleType,
      owner: { uscc: owner.uscc, name: owner.name },
      axleCount: v.axleCount,
      ratedTotalMassKg: v.ratedTotalMassKg,
      provenance: { system: 'TRANSPORT', agency: 'suzhou-transport' },
    });
    expect(data.vehicle!.weighings.map((w) => w.overloadKg)).toEqual(weighings.slice(0, 5).map((w) => w.overloadKg));
    const cases = t.world.enforcementCases.filter((c) => c.vehiclePlateNumber === v.plateNumber && c.vehiclePlateColor === v.plateColor);
    expect(data.vehicle!.enforcementCases.map((c) => c.caseNumber).sort()).toEqual(cases.map((c) => c.caseNumber).sort());
  });

  it('the same plate with another colour is another vehicle', async () => {
    const v = t.world.vehicles[0];
    const other = v.plateColor === 'BLUE' ? 'YELLOW' : 'BLUE';
    const clash = t.world.vehicles.some((x) => x.plateNumber === v.plateNumber && x.plateColor === other);
    const data = await query(t.hub.graphqlUrl, VehicleByPlateDocument, { plateNumber: v.plateNumber, plateColor: other as never });
    expect(data.vehicle === null).toBe(!clash);
  });

  it('refuses a malformed plate with BAD_USER_INPUT', async () => {
    const result = await execute(t.hub.graphqlUrl, VehicleByPlateDocument, { plateNumber: '苏EI2345', plateColor: 'BLUE' as never });
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'plateNumber' });
  });

  it('refuses an unknown plate colour before execution', async () => {
    const result = await execute(t.hub.graphqlUrl, VehicleByPlateDocument, { plateNumber: '苏E12345', plateColor: 'PURPLE' as never });
    expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('practitioner(idNumber) returns the practitioner and employer', async () => {
    const p = t.world.practitioners.find((x) => x.employerUscc)!;
    const data = await query(t.hub.graphqlUrl, PractitionerByIdDocument, { idNumber: p.idNumber.toLowerCase() });
    expect(data.practitioner).toMatchObject({
      idNumber: p.idNumber,
      name: p.name,
      certificateNumber: p.certificateNumber,
      qualificationCategory: p.qualificationCategory,
      employer: { uscc: p.employerUscc },
    });
  });

  it('refuses an ID number with an impossible birth date', async () => {
    const result = await execute(t.hub.graphqlUrl, PractitionerByIdDocument, { idNumber: '320505199902310012' });
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'idNumber' });
  });

  it('checkpoint(code) returns the checkpoint; unknown is null', async () => {
    const c = t.world.checkpoints[0];
    const data = await query(t.hub.graphqlUrl, CheckpointByCodeDocument, { code: c.code });
    expect(data.checkpoint).toMatchObject({ code: c.code, name: c.name, road: c.road, latitude: c.latitude, provenance: { agency: 'suzhou-psb' } });
    const missing = await query(t.hub.graphqlUrl, CheckpointByCodeDocument, { code: 'NO-SUCH-CHECKPOINT' });
    expect(missing.checkpoint).toBeNull();
  });
});
