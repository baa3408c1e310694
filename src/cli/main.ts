import { Command } from 'commander';
import { registerAppealCommands } from './commands/appeal.commands.js';
import { registerAssessmentCommands } from './commands/assessment.commands.js';
import { registerDataCommands } from './commands/data.commands.js';
import { registerIntakeCommands } from './commands/intake.commands.js';
import { registerJobCommands } from './commands/job.commands.js';
import { registerKeysCommands } from './commands/keys.commands.js';
import { registerReportCommands } from './commands/report.commands.js';
import { registerServiceCommands } from './commands/service.commands.js';

const program = new Command('redprop')
  .description('红色物业 property company evaluation / 红色物业服务企业考核评价')
  .option('-v, --verbose', 'log progress of the application')
  .showHelpAfterError();

// One register function per capability; each command only calls a service.
registerDataCommands(program);
registerIntakeCommands(program);
registerAssessmentCommands(program);
registerReportCommands(program);
registerAppealCommands(program);
registerServiceCommands(program);
registerJobCommands(program);
registerKeysCommands(program);

await program.parseAsync(process.argv);
