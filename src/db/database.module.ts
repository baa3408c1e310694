import { Global, Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { assertMigrated, DATABASE, openDatabase, type Database } from './database.js';
import { DatabaseStatusRepository } from './database-status.repository.js';

/** Provides the one database handle, chosen by configuration: embedded PGlite or a PostgreSQL server. */
@Global()
@Module({})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(DATABASE) private readonly database: Database) {}

  /** `requireSchema`: refuse to start on a database without the committed migrations (all but the commands that migrate it). */
  static fromConfig(requireSchema = true): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [
        {
          provide: DATABASE,
          inject: [APP_CONFIG],
          useFactory: async (config: AppConfig) => {
            const database = await openDatabase(config.database);
            if (requireSchema) {
              try {
                await assertMigrated(database);
              } catch (error) {
                await database.close();
                throw error;
              }
            }
            return database;
          },
        },
        DatabaseStatusRepository,
      ],
      exports: [DATABASE, DatabaseStatusRepository],
    };
  }

  /** For tests that share one already open database between several application instances. */
  static withDatabase(database: Database): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [{ provide: DATABASE, useValue: { ...database, close: async () => undefined } }, DatabaseStatusRepository],
      exports: [DATABASE, DatabaseStatusRepository],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.database.close();
  }
}
