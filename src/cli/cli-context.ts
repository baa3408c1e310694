import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext, LogLevel } from '@nestjs/common';
import { AppModule } from '../app.module.js';
import { loadConfig, type AppConfig } from '../config/app-config.js';
import { reportCliError, EXIT_BAD_INPUT, EXIT_OK } from './cli-errors.js';

export interface CliOptions {
  verbose?: boolean;
  /** a command may choose its own database, e.g. the benchmark's */
  adjustConfig?: (config: AppConfig) => AppConfig;
  /** the command migrates the database itself; any other refuses a database without the schema */
  migratesSchema?: boolean;
}

/** Starts the application without HTTP, runs one command, closes it and sets the exit code. */
export async function runInApp(options: CliOptions, command: (app: INestApplicationContext) => Promise<void>): Promise<void> {
  let app: INestApplicationContext | undefined;
  let exitCode = EXIT_OK;
  try {
    const loaded = loadConfig(process.env);
    const config = options.adjustConfig ? options.adjustConfig(loaded) : loaded;
    const logger: LogLevel[] = options.verbose ? ['error', 'warn', 'log', 'debug'] : ['error', 'warn'];
    // Start silent and without Nest's own exit on failure: a failure to start (a database without the
    // schema, say) reaches reportCliError like any other, as one message instead of a logged stack.
    app = await NestFactory.createApplicationContext(AppModule.forRoot({ config, migratesSchema: options.migratesSchema }), {
      logger: false,
      abortOnError: false,
    });
    app.useLogger(logger);
    await command(app);
  } catch (error) {
    exitCode = reportCliError(error);
  } finally {
    try {
      await app?.close();
    } catch (error) {
      if (exitCode === EXIT_OK) exitCode = reportCliError(error);
    }
  }
  process.exitCode = exitCode;
}

/** Runs a command that needs no application (no database); `false` means its check failed (exit 2). */
export function withoutApp(command: () => boolean): void {
  try {
    process.exitCode = command() ? EXIT_OK : EXIT_BAD_INPUT;
  } catch (error) {
    process.exitCode = reportCliError(error);
  }
}
