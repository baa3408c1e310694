import { Injectable } from '@nestjs/common';
import { DomainError } from '../domain/errors.js';
import { DatabaseStatusRepository, type TableCount } from './database-status.repository.js';

@Injectable()
export class DatabaseAdminService {
  constructor(private readonly status: DatabaseStatusRepository) {}

  get backend() {
    return this.status.backend;
  }

  migrate(): Promise<void> {
    return this.status.migrate();
  }

  countRows(): Promise<TableCount[]> {
    return this.status.countRows();
  }

  /** Answers when the database does (a health check); throws when it cannot be reached. */
  async ping(): Promise<void> {
    await this.status.ping();
  }

  /** The service's health: `ok` with the backend, or DATABASE_UNAVAILABLE when the database does not answer. */
  async health(): Promise<{ status: 'ok'; database: 'pglite' | 'postgres' }> {
    try {
      await this.ping();
    } catch (error) {
      throw new DomainError('DATABASE_UNAVAILABLE', `database unavailable: ${error instanceof Error ? error.message : String(error)}`, '数据库不可用');
    }
    return { status: 'ok', database: this.backend };
  }

  async hasData(): Promise<boolean> {
    return (await this.status.countRows()).some((t) => t.rows > 0);
  }
}
