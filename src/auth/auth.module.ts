import { Module } from '@nestjs/common';
import { ApiKeysRepository } from './api-keys.repository.js';
import { ApiKeysService } from './api-keys.service.js';
import { AuthGuard } from './auth.guard.js';

/** API keys and the HTTP guard (registered globally by the API module). */
@Module({ providers: [ApiKeysRepository, ApiKeysService, AuthGuard], exports: [ApiKeysService, AuthGuard] })
export class AuthModule {}
