import fs from 'node:fs';
import { Field, Float, Int, ObjectType } from 'type-graphql';
import { Classification, Classified } from '../../read-kit/fields/classification';
import { RuleFileReader } from '../common/rule-file-reader';

/**
 * The crime catalogue (移送案件罪名目录清单, `schema/rules/crime-catalogue.json`): which violations
 * may be crimes and what their transfer to the police needs. The one source of what counts as
 * criminal: the UNTRANSFERRED_CRIMINAL clue rule, the untransferred-cases view and the transfers
 * all read it. Checked when the hub starts, like the other rule files.
 */

/** A crime catalogue that cannot be used; the hub does not start with it. */
export class CrimeCatalogueError extends Error {
  constructor(file: string, where: string, problem: string) {
    super(`Invalid crime catalogue: ${file}: ${where} ${problem}`);
    this.name = 'CrimeCatalogueError';
  }
}

@ObjectType({ description: 'One item of evidence a transfer packet must or may hold (证据清单).', simpleResolvers: true })
export class EvidenceRequirement {
  @Classified(Classification.PUBLIC)
  @Field({ description: 'The item, as documents attached to a transfer name it (e.g. SCENE_RECORD).' })
  code!: string;

  @Classified(Classification.PUBLIC)
  @Field()
  name!: string;

  @Classified(Classification.PUBLIC)
  @Field({ description: 'A transfer cannot be submitted while a required item is missing.' })
  required!: boolean;
}

@ObjectType({ description: 'Days each step of a transfer may take before it is overdue.', simpleResolvers: true })
export class TransferRuleDays {
  @Classified(Classification.PUBLIC)
  @Field(() => Int, { description: "From the case's occurrence to the transfer's submission." })
  transfer!: number;

  @Classified(Classification.PUBLIC)
  @Field(() => Int, { description: 'From submission to the police acknowledging receipt.' })
  acknowledge!: number;

  @Classified(Classification.PUBLIC)
  @Field(() => Int, { description: 'From receipt to the police deciding (立案, 不立案 or 退回).' })
  decide!: number;
}

@ObjectType({ description: 'A violation that may be a crime (两法衔接 罪名目录): what it is suspected of and what its transfer needs.', simpleResolvers: true })
export class CrimeCatalogueEntry {
  @Classified(Classification.PUBLIC)
  @Field({ description: "The transport system's violation code." })
  violationCode!: string;

  @Classified(Classification.PUBLIC)
  @Field()
  name!: string;

  @Classified(Classification.PUBLIC)
  @Field({ description: 'The suspected charge (涉嫌罪名).' })
  charge!: string;

  @Classified(Classification.PUBLIC)
  @Field({ description: 'The legal article.' })
  article!: string;

  @Classified(Classification.PUBLIC)
  @Field({ description: 'When a case of this violation is a suspected crime, in words.' })
  threshold!: string;

  @Classified(Classification.PUBLIC)
  @Field(() => Float, { description: 'A case counts when its penalty is at least this (0: any case).' })
  minPenaltyYuan!: number;

  @Classified(Classification.PUBLIC)
  @Field(() => [EvidenceRequirement])
  evidence!: EvidenceRequirement[];

  @Classified(Classification.PUBLIC)
  @Field(() => TransferRuleDays)
  ruleDays!: TransferRuleDays;
}

@ObjectType({ description: 'The crime catalogue in force: its version, the agency transfers go to and its entries.', simpleResolvers: true })
export class CrimeCatalogue {
  @Classified(Classification.PUBLIC)
  @Field()
  version!: string;

  @Classified(Classification.PUBLIC)
  @Field({ description: 'The agency transfers are sent to (an agency of the agreements file).' })
  receivingAgency!: string;

  @Classified(Classification.PUBLIC)
  @Field(() => [CrimeCatalogueEntry])
  entries!: CrimeCatalogueEntry[];

  /** The entry of a violation code, or null: such cases are not transferred. */
  entryOf(violationCode: string): CrimeCatalogueEntry | null {
    return this.entries.find((e) => e.violationCode === violationCode) ?? null;
  }
}

const STEP_KEYS = ['transfer', 'acknowledge', 'decide'] as const;

/** Checks a parsed catalogue (`file` names it in errors). */
export function parseCrimeCatalogue(json: unknown, file: string): CrimeCatalogue {
  const r = new RuleFileReader((where, problem) => {
    throw new CrimeCatalogueError(file, where, problem);
  });
  const root = r.object(json, 'the file', ['version', 'receivingAgency', 'entries']);
  const catalogue = new CrimeCatalogue();
  catalogue.version = r.text(root.version, 'version');
  catalogue.receivingAgency = r.text(root.receivingAgency, 'receivingAgency');
  const raw = r.object(root.entries, 'entries');
  catalogue.entries = Object.entries(raw)
    .filter(([code]) => code !== '$comment')
    .map(([violationCode, value]) => {
      const where = `entries.${violationCode}`;
      if (!/^[A-Z0-9]{2,16}$/.test(violationCode)) r.fail(where, 'must be keyed by a violation code (capital letters and digits)');
      const e = r.object(value, where, ['name', 'charge', 'article', 'threshold', 'minPenaltyYuan', 'evidence', 'ruleDays']);
      const evidence = r.list(e.evidence, `${where}.evidence`, (v, at) => {
        const item = r.object(v, at, ['code', 'name', 'required']);
        const code = r.text(item.code, `${at}.code`);
        if (!/^[A-Z][A-Z0-9_]{1,47}$/.test(code)) r.fail(`${at}.code`, 'must be capital letters, digits and _');
        return Object.assign(new EvidenceRequirement(), { code, name: r.text(item.name, `${at}.name`), required: r.boolean(item.required, `${at}.required`) });
      });
      evidence.forEach((item, i) => {
        if (evidence.findIndex((x) => x.code === item.code) !== i) r.fail(`${where}.evidence[${i}].code`, `repeats ${item.code}`);
      });
      const days = r.object(e.ruleDays, `${where}.ruleDays`, STEP_KEYS);
      const ruleDays = new TransferRuleDays();
      for (const step of STEP_KEYS) ruleDays[step] = r.number(days[step], `${where}.ruleDays.${step}`, 1, 365, true);
      return Object.assign(new CrimeCatalogueEntry(), {
        violationCode,
        name: r.text(e.name, `${where}.name`),
        charge: r.text(e.charge, `${where}.charge`),
        article: r.text(e.article, `${where}.article`),
        threshold: r.text(e.threshold, `${where}.threshold`),
        minPenaltyYuan: r.number(e.minPenaltyYuan, `${where}.minPenaltyYuan`, 0, 1e9, false),
        evidence,
        ruleDays,
      });
    });
  if (catalogue.entries.length === 0) r.fail('entries', 'must list at least one violation');
  return catalogue;
}

/** Reads and checks the catalogue; any problem stops the hub with the file and the place named. */
export function loadCrimeCatalogue(file: string): CrimeCatalogue {
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new CrimeCatalogueError(file, 'the file', `cannot be read: ${(error as Error).message}`);
  }
  return parseCrimeCatalogue(json, file);
}
