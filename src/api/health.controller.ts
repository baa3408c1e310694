import { Controller, Get } from '@nestjs/common';
import { DatabaseAdminService } from '../db/database-admin.service.js';
import { Health } from './health.dto.js';
import { Endpoint } from './openapi/endpoint.decorator.js';

@Controller('health')
export class HealthController {
  constructor(private readonly admin: DatabaseAdminService) {}

  @Get()
  @Endpoint({
    tag: 'service',
    summary: 'liveness and database check (no key needed); 503 when the database does not answer',
    public: true,
    status: 200,
    response: Health,
    responseDescription: 'the service and its database answer',
    errors: [503],
  })
  health(): Promise<Health> {
    return this.admin.health();
  }
}
