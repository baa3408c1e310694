import type { Command } from 'commander';
import { createHttpApp } from '../../api/http-app.js';
import { loadConfig } from '../../config/app-config.js';
import { reportCliError } from '../cli-errors.js';

/** serve */
export function registerServiceCommands(program: Command): void {
  program
    .command('serve')
    .description('start the HTTP service on the configured PORT')
    .action(async () => {
      try {
        const config = loadConfig(process.env);
        const app = await createHttpApp({ config });
        await app.listen(config.httpPort);
        console.log(`redprop listening on http://127.0.0.1:${config.httpPort}`);
      } catch (error) {
        process.exitCode = reportCliError(error);
      }
    });
}
