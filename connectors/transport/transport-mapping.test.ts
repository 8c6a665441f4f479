import { hubRecordId } from './transport-mapping';
import { validatePlate, validateResidentId } from '../contract/identifiers';
import { generateWorld } from '../../src/demo/world';

const world = generateWorld({ seed: 5, size: 0.01 });

describe('hubRecordId', () => {
  it('names a vehicle by its normalised plate and named colour, as the hub keys it', () => {
    const v = world.vehicles[0];
    const fullWidth = v.plateNumber.replace(/[A-Z0-9]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
    expect(validatePlate(fullWidth)).toMatchObject({ ok: true, value: v.plateNumber });
    expect(hubRecordId('vehicles', `${fullWidth}|2`)).toBe(`${v.plateNumber}|YELLOW`);
    expect(hubRecordId('vehicles', 'not a plate|77')).toBe('not a plate|77');
  });

  it('names a practitioner by the normalised ID number', () => {
    const withX = world.practitioners.map((p) => p.idNumber).find((id) => id.endsWith('X'));
    expect(withX).toBeDefined();
    const id = withX!;
    expect(validateResidentId(id.toLowerCase())).toMatchObject({ ok: true, value: id });
    expect(hubRecordId('practitioners', id.toLowerCase())).toBe(id);
    expect(hubRecordId('licences', 'abc')).toBe('abc');
  });
});
