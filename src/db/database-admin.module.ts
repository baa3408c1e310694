import { Module } from '@nestjs/common';
import { DatabaseAdminService } from './database-admin.service.js';

@Module({ providers: [DatabaseAdminService], exports: [DatabaseAdminService] })
export class DatabaseAdminModule {}
