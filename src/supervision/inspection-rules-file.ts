import fs from 'node:fs';
import type { InspectionRules } from '../domains/inspection';
import { RuleFileReader } from '../domains/common/rule-file-reader';

/** An inspection rule file that cannot be used; the hub does not start with it. */
export class InspectionRulesError extends Error {
  constructor(file: string, where: string, problem: string) {
    super(`Invalid inspection rules: ${file}: ${where} ${problem}`);
    this.name = 'InspectionRulesError';
  }
}

const STRATUM = /^[A-Z][A-Z0-9_]{0,31}$/;
const CODE = /^[A-Z]{2}-[A-Z]{2}-\d{2}$/;

/**
 * The random-inspection catalogue, responsibility list and draw parameters
 * (`schema/rules/inspection-items.json`), checked when the hub starts like the other rule files:
 * a broken file names the file, the place in it and the problem. `agencies`, given, are the
 * agencies of the agreements file an item's unit must be one of.
 */
export function loadInspectionRules(file: string, agencies?: readonly string[]): InspectionRules {
  const r = new RuleFileReader((where, problem) => {
    throw new InspectionRulesError(file, where, problem);
  });
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new InspectionRulesError(file, '(file)', `cannot be read as JSON: ${(error as Error).message}`);
  }
  const top = r.object(raw, '(top)', ['version', 'parameters', 'strata', 'items', 'responsibilities']);
  const p = r.object(top.parameters, 'parameters', [
    'inspectorsPerObject',
    'recentInspectionMonths',
    'pastFindingsMonths',
    'publicationWorkingDays',
    'districtShare',
    'beaconDistance',
  ]);
  const unit = (v: unknown, where: string) => {
    const text = r.text(v, where);
    if (agencies && !agencies.includes(text)) r.fail(where, `names no agency of the agreements file: ${text}`);
    return text;
  };
  const rules: InspectionRules = {
    file,
    version: r.text(top.version, 'version'),
    parameters: {
      // 行政处罚法 Art. 42: never fewer than two officers.
      inspectorsPerObject: r.number(p.inspectorsPerObject, 'parameters.inspectorsPerObject', 2, 10, true),
      recentInspectionMonths: r.number(p.recentInspectionMonths, 'parameters.recentInspectionMonths', 0, 120, true),
      pastFindingsMonths: r.number(p.pastFindingsMonths, 'parameters.pastFindingsMonths', 1, 120, true),
      publicationWorkingDays: r.number(p.publicationWorkingDays, 'parameters.publicationWorkingDays', 1, 60, true),
      districtShare: r.number(p.districtShare, 'parameters.districtShare', 0, 1, false),
      beaconDistance: r.number(p.beaconDistance, 'parameters.beaconDistance', 1, 1000, true),
    },
    strata: r.list(top.strata, 'strata', (v, where) => {
      const s = r.object(v, where, ['code', 'ratio', 'description']);
      const code = r.text(s.code, `${where}.code`);
      if (!STRATUM.test(code)) r.fail(`${where}.code`, 'must be upper-case letters, digits and _');
      return { code, ratio: r.number(s.ratio, `${where}.ratio`, 0, 1, false), description: r.text(s.description, `${where}.description`) };
    }),
    items: r.list(top.items, 'items', (v, where) => {
      const i = r.object(v, where, ['code', 'name', 'legalBasis', 'unit', 'objectScopes', 'method', 'content', 'checkItems', 'jointWith']);
      const code = r.text(i.code, `${where}.code`);
      if (!CODE.test(code)) r.fail(`${where}.code`, 'must look like JT-DL-01');
      return {
        code,
        name: r.text(i.name, `${where}.name`),
        legalBasis: r.text(i.legalBasis, `${where}.legalBasis`),
        unit: unit(i.unit, `${where}.unit`),
        objectScopes: r.list(i.objectScopes, `${where}.objectScopes`, (s, w) => r.text(s, w)),
        method: r.text(i.method, `${where}.method`),
        content: r.text(i.content, `${where}.content`),
        checkItems: r.list(i.checkItems, `${where}.checkItems`, (c, w) => {
          const item = r.object(c, w, ['code', 'text']);
          return { code: r.text(item.code, `${w}.code`), text: r.text(item.text, `${w}.text`) };
        }),
        jointWith: r.list(i.jointWith, `${where}.jointWith`, (s, w) => r.text(s, w), 0),
      };
    }),
    responsibilities: r.list(top.responsibilities, 'responsibilities', (v, where) => {
      const x = r.object(v, where, ['unit', 'items', 'performer', 'standard', 'accountability', 'accountabilityBasis']);
      return {
        unit: unit(x.unit, `${where}.unit`),
        items: r.list(x.items, `${where}.items`, (s, w) => r.text(s, w)),
        performer: r.text(x.performer, `${where}.performer`),
        standard: r.text(x.standard, `${where}.standard`),
        accountability: r.text(x.accountability, `${where}.accountability`),
        accountabilityBasis: r.text(x.accountabilityBasis, `${where}.accountabilityBasis`),
      };
    }),
  };
  const codes = new Set(rules.items.map((i) => i.code));
  if (codes.size !== rules.items.length) r.fail('items', 'has a code twice');
  rules.items.forEach((item, n) => {
    for (const joint of item.jointWith) if (!codes.has(joint)) r.fail(`items[${n}].jointWith`, `names no item: ${joint}`);
  });
  rules.responsibilities.forEach((x, n) => {
    for (const code of x.items) if (!codes.has(code)) r.fail(`responsibilities[${n}].items`, `names no item: ${code}`);
  });
  if (new Set(rules.strata.map((s) => s.code)).size !== rules.strata.length) r.fail('strata', 'has a code twice');
  return rules;
}
