import { Injectable } from '@nestjs/common';
import { DatabaseAdminService } from '../db/database-admin.service.js';
import { SeedService, type SeedOutcome } from '../seeding/seed.service.js';

export interface DemoOutcome {
  seeded: SeedOutcome;
}

export const DEMO_SEED = 1;

/** The main job on a fresh machine: migrate, seed the demo data. */
@Injectable()
export class DemoService {
  constructor(
    private readonly admin: DatabaseAdminService,
    private readonly seeds: SeedService,
  ) {}

  async run(): Promise<DemoOutcome> {
    await this.admin.migrate();
    const seeded = await this.seeds.seed({ scale: 'demo', seed: DEMO_SEED, replace: true });
    return { seeded };
  }
}
