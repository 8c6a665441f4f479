import { TRANSPORT_STREAMS, type TransportSourceRecord, type TransportStream } from './transport-format';
import { hubRecordId, mapTransportRecord } from './transport-mapping';
import type { PractitionerRecord, VehicleRecord } from '../contract/canonical/records';
import { validatePlate, validateResidentId } from '../contract/identifiers';
import { expectedOf, readFixture, recordsOf, type MappingFixture } from '../contract/testing/mapping';

/** What the transport simulator served, recorded per stream (fixtures/<stream>.json): some records intact, some malformed. */
const fixtures = Object.fromEntries(
  (Object.keys(TRANSPORT_STREAMS) as TransportStream[]).map((stream) => [stream, readFixture<TransportSourceRecord>(__dirname, stream)]),
) as Record<TransportStream, MappingFixture<TransportSourceRecord>>;

describe('mapTransportRecord', () => {
  it.each(Object.keys(TRANSPORT_STREAMS) as TransportStream[])(
    'maps every recorded record of %s back to exactly the canonical record it was served from, and quarantines the malformed',
    (stream) => {
      const { cases } = fixtures[stream];
      expect(cases.some(({ mapped }) => 'record' in mapped)).toBe(true);
      expect(cases.some(({ mapped }) => 'quarantine' in mapped)).toBe(true);
      for (const recorded of cases) expect(mapTransportRecord(stream, recorded.served)).toStrictEqual(expectedOf(recorded));
    },
  );

  it("names the source's record under the id the hub keys it by", () => {
    for (const stream of Object.keys(TRANSPORT_STREAMS) as TransportStream[]) {
      for (const { served, mapped } of fixtures[stream].cases) {
        if ('quarantine' in mapped) expect(mapped.quarantine.sourceId).toBe(hubRecordId(stream, served.id));
      }
    }
  });
});

describe('hubRecordId', () => {
  it('names a vehicle by its normalised plate and named colour, as the hub keys it', () => {
    const v = recordsOf<VehicleRecord>(fixtures.vehicles)[0];
    const fullWidth = v.plateNumber.replace(/[A-Z0-9]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
    expect(validatePlate(fullWidth)).toMatchObject({ ok: true, value: v.plateNumber });
    expect(hubRecordId('vehicles', `${fullWidth}|2`)).toBe(`${v.plateNumber}|YELLOW`);
    expect(hubRecordId('vehicles', 'not a plate|77')).toBe('not a plate|77');
  });

  it('names a practitioner by the normalised ID number', () => {
    const withX = recordsOf<PractitionerRecord>(fixtures.practitioners)
      .map((p) => p.idNumber)
      .find((id) => id.endsWith('X'));
    expect(withX).toBeDefined();
    const id = withX!;
    expect(validateResidentId(id.toLowerCase())).toMatchObject({ ok: true, value: id });
    expect(hubRecordId('practitioners', id.toLowerCase())).toBe(id);
    expect(hubRecordId('licences', 'abc')).toBe('abc');
  });
});
