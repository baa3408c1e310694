import createClient from 'openapi-fetch';
import type { paths } from './schema.js';

/**
 * The typed client of the redprop API for the web desk: paths, parameters, bodies and answers are
 * those of the OpenAPI document (`npm run openapi` regenerates ./schema.d.ts from it).
 */
export function apiClient(options: { baseUrl?: string; apiKey: string; fetch?: typeof fetch }) {
  return createClient<paths>({
    baseUrl: options.baseUrl ?? '',
    headers: { Authorization: `Bearer ${options.apiKey}` },
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
}

export type ApiClient = ReturnType<typeof apiClient>;
export type { paths, components, operations } from './schema.js';
