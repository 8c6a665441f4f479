#!/usr/bin/env node
// Before any command loads a decorated class (entities, the schema's types): a few milliseconds.
import 'reflect-metadata';
import { Command, CommanderError } from 'commander';
import { ConfigError, loadConfig } from '../config';
import { CliError, ExitCode } from './exit-codes';
import { agreementsCommand } from './agreements';
import { auditCommand } from './audit';
import { drawCommand } from './draw';
import { syncCommand } from './sync';
import { tokenCommand } from './token';
import { worldCommand } from './world';

/**
 * `xietong`: the operator's command line (the package's `bin`). Each command is a module of its
 * own that loads only what it needs when it runs (dynamic imports), so that e.g. `xietong token`
 * answers in a fraction of a second. Every command prints text, or JSON with `--json`.
 */
const program = new Command('xietong')
  .description('Xietong hub command line')
  .addHelpText(
    'after',
    '\nExit codes: 0 done; 1 refused by the hub or the database, or a check failed (the message says what);' +
      ' 2 bad usage, configuration or agreements file; 3 the hub or database is unreachable.',
  )
  .exitOverride()
  .showHelpAfterError()
  // A command's options are read before its subcommand only: subcommands may reuse option names (`token --agency`, `token revoke --agency`).
  .enablePositionalOptions();

/** Commands built on their own take the program's settings (exit override, help on error), subcommands too. */
function adopt(command: Command): Command {
  command.copyInheritedSettings(program);
  for (const sub of command.commands) adopt(sub);
  return command;
}

for (const command of [tokenCommand, syncCommand, auditCommand, drawCommand, worldCommand, agreementsCommand]) {
  program.addCommand(adopt(command(() => loadConfig())));
}

// `xietong … | head`: a reader that stops early is no failure.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(ExitCode.OK);
  throw error;
});

program.parseAsync(process.argv).catch((error: unknown) => {
  if (error instanceof CommanderError) {
    process.exit(error.exitCode === 0 ? ExitCode.OK : ExitCode.USAGE);
  }
  if (error instanceof CliError || error instanceof ConfigError) {
    process.stderr.write(`xietong: ${error.message}\n`);
    process.exit(error instanceof CliError ? error.exitCode : ExitCode.USAGE);
  }
  process.stderr.write(`xietong: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(ExitCode.REFUSED);
});
