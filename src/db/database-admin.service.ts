import { Injectable } from '@nestjs/common';
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

  async hasData(): Promise<boolean> {
    return (await this.status.countRows()).some((t) => t.rows > 0);
  }
}
