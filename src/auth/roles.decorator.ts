import { SetMetadata } from '@nestjs/common';
import type { Role } from '../domain/access.js';

export const ROLES = 'redprop:roles';

/** Only keys of these roles may call the route (or controller); scope checks inside stay with the services. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES, roles);
