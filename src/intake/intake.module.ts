import { Module } from '@nestjs/common';
import { IntakeRepository } from './intake.repository.js';
import { IntakeService } from './intake.service.js';

@Module({ providers: [IntakeRepository, IntakeService], exports: [IntakeService] })
export class IntakeModule {}
