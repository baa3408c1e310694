import { Module } from '@nestjs/common';
import { AccessRepository } from './access.repository.js';
import { AccessService } from './access.service.js';

@Module({ providers: [AccessRepository, AccessService], exports: [AccessService] })
export class AccessModule {}
