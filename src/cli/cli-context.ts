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
}

/** Starts the application without HTTP, runs one command, closes it and sets the exit code. */
export async function runInApp(options: CliOptions, command: (app: INestApplicationContext) => Promise<void>): Promise<void> {
  let app: INestApplicationContext | undefined;
  let exitCode = EXIT_OK;
  try {
    const loaded = loadConfig(process.env);
    const config = options.adjustConfig ? options.adjustConfig(loaded) : loaded;
    const logger: LogLevel[] = options.verbose ? ['error', 'warn', 'log', 'debug'] : ['error', 'warn'];
    app = await NestFactory.createApplicationContext(AppModule.forRoot({ config }), { logger });
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
