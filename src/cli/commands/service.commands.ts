import { Logger, type INestApplication } from '@nestjs/common';
import type { Command } from 'commander';
import { createHttpApp } from '../../api/http-app.js';
import { JsonLogger } from '../../api/logging/json-logger.js';
import { loadConfig } from '../../config/app-config.js';
import { reportCliError } from '../cli-errors.js';

/** serve */
export function registerServiceCommands(program: Command): void {
  program
    .command('serve')
    .description('start the HTTP service on the configured PORT (OpenAPI at /docs), with the scheduled cycle unless REDPROP_SCHEDULER=off')
    .action(async () => {
      let app: INestApplication | undefined;
      try {
        const config = loadConfig(process.env);
        const verbose = Boolean(program.opts().verbose);
        const levels = verbose ? (['fatal', 'error', 'warn', 'log', 'debug'] as const) : (['fatal', 'error', 'warn', 'log'] as const);
        app = await createHttpApp({ config, scheduler: config.schedulerEnabled }, config.logFormat === 'json' ? new JsonLogger([...levels]) : [...levels]);
        await app.listen(config.httpPort);
        Logger.log(`listening on http://127.0.0.1:${config.httpPort} (docs: /docs), instance ${config.instanceName}`, 'redprop');
      } catch (error) {
        const code = reportCliError(error);
        // a server that could not start must not linger half-started (open connections, queue workers)
        await app?.close().catch(() => undefined);
        process.exit(code);
      }
    });
}
