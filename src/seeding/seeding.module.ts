import { Module } from '@nestjs/common';
import { DatabaseAdminModule } from '../db/database-admin.module.js';
import { IntakeModule } from '../intake/intake.module.js';
import { SeedService } from './seed.service.js';

@Module({ imports: [IntakeModule, DatabaseAdminModule], providers: [SeedService], exports: [SeedService] })
export class SeedingModule {}
