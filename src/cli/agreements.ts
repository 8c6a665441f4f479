import path from 'node:path';
import { Command } from 'commander';
import type { AgreementsFile } from '../access/agreements';
import { projectRoot, type HubConfig } from '../config';
import { CliError, ExitCode } from './exit-codes';
import { report } from './output';

const collect = (value: string, previous: string[]) => [...previous, value];

interface CheckOptions {
  file?: string;
  type: string[];
  agency: string[];
  json?: boolean;
}

/**
 * `xietong agreements check`: reads the agreements file and checks it against the schema the hub
 * builds, with the loader the hub uses when it starts, then prints who may see what. A file the
 * hub would refuse exits 2, naming the file, the place in it and the problem.
 */
export function agreementsCommand(config: () => HubConfig): Command {
  const agreements = new Command('agreements').description('the data-sharing agreements (AGREEMENTS_FILE)');
  agreements
    .command('check')
    .description('check the agreements file against the schema, as the hub does at start, and print who may see what')
    .option('--file <file>', 'the agreements file (default AGREEMENTS_FILE, else schema/policy/agreements.json)')
    .option('--type <type>', 'show only this type (repeatable), e.g. Practitioner', collect, [])
    .option('--agency <agency>', "show only this agency's agreements (repeatable)", collect, [])
    .option('--json', 'print the agreements and every field grant as JSON')
    .action(async (options: CheckOptions) => {
      const file = options.file ? path.resolve(options.file) : config().agreementsFile;
      const inProject = path.relative(projectRoot, file);
      const shown = inProject.startsWith('..') ? file : inProject;
      const [{ buildHubSchema }, { HUB_PARTS }, { loadAgreements, AgreementsError }, { agreementsMatrix, formatMatrix }] = await Promise.all([
        import('../graphql/schema'),
        import('../graphql/composition'),
        import('../access/agreements'),
        import('./agreements-matrix'),
      ]);
      const schema = await buildHubSchema(HUB_PARTS);
      let parsed: AgreementsFile;
      try {
        parsed = loadAgreements(file, schema);
      } catch (error) {
        if (error instanceof AgreementsError) throw new CliError(ExitCode.USAGE, `${shown}: ${error.message}`);
        throw error;
      }
      for (const type of options.type) {
        if (!schema.getType(type)) throw new CliError(ExitCode.USAGE, `--type ${type}: the schema has no such type`);
      }
      for (const agency of options.agency) {
        if (!parsed.agencies.has(agency)) throw new CliError(ExitCode.USAGE, `--agency ${agency}: ${shown} declares no such agency`);
      }
      const matrix = agreementsMatrix(schema, parsed, { file: shown, types: options.type, agencies: options.agency, now: new Date() });
      report(options, matrix, () => formatMatrix(matrix));
    });
  return agreements;
}
