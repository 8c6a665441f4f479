import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../../src/config';
import type { AgreementsMatrix } from '../../src/cli/agreements-matrix';
import { runXietong } from '../support/run-xietong';

const AGREEMENTS = path.join(projectRoot, 'schema/policy/agreements.json');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xietong-agreements-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A copy of the committed agreements with `change` applied, as a file of its own. */
function brokenCopy(name: string, change: (json: { agreements: Array<Record<string, any>> }) => void): string {
  const json = JSON.parse(fs.readFileSync(AGREEMENTS, 'utf8'));
  change(json);
  const file = path.join(dir, name);
  fs.writeFileSync(file, JSON.stringify(json));
  return file;
}

describe('xietong agreements check', () => {
  let matrix: AgreementsMatrix;

  beforeAll(async () => {
    const json = await runXietong(['agreements', 'check', '--json']);
    expect(json).toMatchObject({ code: 0, err: '' });
    matrix = JSON.parse(json.out) as AgreementsMatrix;
  });

  it('--json lists every agreement and what each grants of every field', () => {
    const committed = JSON.parse(fs.readFileSync(AGREEMENTS, 'utf8')) as { agreements: Array<{ id: string }> };
    expect(matrix.file).toBe('schema/policy/agreements.json');
    expect(matrix.agreements.map((a) => a.id)).toEqual(committed.agreements.map((a) => a.id));
    expect(matrix.agreements.find((a) => a.id === 'CSJ-AH-2025-01')).toMatchObject({ agency: 'anhui-transport', inForce: false });
    const grant = (field: string) => matrix.fields.find((f) => `${f.type}.${f.field}` === field)?.grants;
    // Named in full, masked with the field's declared mask, left out: denied.
    expect(grant('Practitioner.idNumber')).toMatchObject({ 'SZJT-2026-01': 'full', 'SZJT-2026-02': 'masked:RESIDENT_ID', 'SZJT-2026-03': 'denied' });
    // "*" grants public and internal fields, never personal ones.
    expect(grant('Enterprise.name')).toMatchObject({ 'SZJT-2026-03': 'full' });
    expect(grant('Enterprise.legalRepresentative')).toMatchObject({ 'SZJT-2026-02': 'masked:PERSON_NAME', 'SZJT-2026-03': 'denied' });
    expect(grant('Mutation.triggerSync')).toEqual(Object.fromEntries(matrix.agreements.map((a) => [a.id, a.id === 'SZJT-2026-03' ? 'full' : 'denied'])));
    // What the access checks open beside the grants: myAccess to everyone, the SDL with introspection.
    expect(new Set(Object.values(grant('Query.myAccess')!))).toEqual(new Set(['open']));
    expect(grant('Query._service')).toMatchObject({ 'SZJT-2026-01': 'full', 'SZGA-2026-01': 'denied' });
    expect(matrix.fields.find((f) => f.type === 'Practitioner' && f.field === 'idNumber')?.classification).toBe('SENSITIVE_PERSONAL');
    expect(matrix.ungrantedTypes).toEqual([]);
  });

  it('prints the agreements and a field × agreement table, filtered by type and agency', async () => {
    const text = await runXietong(['agreements', 'check', '--type', 'Practitioner', '--agency', 'suzhou-transport']);
    expect(text.code).toBe(0);
    const lines = text.out.split('\n');
    expect(lines[0]).toBe('schema/policy/agreements.json is valid: 5 agreements shown');
    expect(lines).toContainEqual(expect.stringMatching(/^SZJT-2026-01 +suzhou-transport +officer +2026-01-01\.\.2028-12-31 +joint-inspection,/));
    expect(lines).toContainEqual(expect.stringMatching(/^FIELD +CLASSIFICATION +SZJT-2026-01 +SZJT-2026-02 +SZJT-2026-03 +SZJT-2026-04 +CSJ-HUB-SZ-2026-01$/));
    expect(lines).toContainEqual(expect.stringMatching(/^Practitioner\.idNumber +SENSITIVE_PERSONAL +full +masked +- +- +-$/));
    expect(lines.filter((l) => l.startsWith('Practitioner.'))).toHaveLength(matrix.fields.filter((f) => f.type === 'Practitioner').length);
    expect(lines.some((l) => l.startsWith('Vehicle.'))).toBe(false);
  });

  it('a file the hub would refuse exits 2 naming the file, the place in it and the problem', async () => {
    const unknownField = brokenCopy('unknown-field.json', (json) => {
      json.agreements[1].fields.Vehicle.wingspan = 'full';
    });
    expect(await runXietong(['agreements', 'check', '--file', unknownField])).toEqual({
      code: 2,
      out: '',
      err: `xietong: ${unknownField}: Invalid agreements: agreement SZJT-2026-02.fields.Vehicle.wingspan: no such field`,
    });
    const maskedObject = brokenCopy('masked-object.json', (json) => {
      json.agreements[0].fields.Vehicle.owner = 'masked';
    });
    expect(await runXietong(['agreements', 'check', '--file', maskedObject, '--json'])).toMatchObject({
      code: 2,
      out: '',
      err: `xietong: ${maskedObject}: Invalid agreements: agreement SZJT-2026-01.fields.Vehicle.owner: only scalar fields can be masked`,
    });
    const notJson = path.join(dir, 'not-json.json');
    fs.writeFileSync(notJson, '{"agreements": [');
    expect(await runXietong(['agreements', 'check', '--file', notJson])).toMatchObject({
      code: 2,
      err: expect.stringMatching(/^xietong: .*not-json\.json: Invalid agreements: cannot read .*JSON/),
    });
    // AGREEMENTS_FILE is what the hub reads, and what the command checks by default.
    expect(await runXietong(['agreements', 'check'], { AGREEMENTS_FILE: unknownField })).toMatchObject({
      code: 2,
      err: expect.stringContaining('Vehicle.wingspan: no such field'),
    });
    expect(await runXietong(['agreements', 'check', '--type', 'Spaceship'])).toMatchObject({
      code: 2,
      err: 'xietong: --type Spaceship: the schema has no such type',
    });
  });
});
