import { RequestMethod, type Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { API_CONTROLLERS } from '../../src/api/api-controllers.js';

/** A route as Nest registers it: method and path in OpenAPI form (`/runs/{runId}`). */
export interface Route {
  method: string;
  path: string;
  handler: string;
}

const METHODS: Partial<Record<RequestMethod, string>> = {
  [RequestMethod.GET]: 'get',
  [RequestMethod.POST]: 'post',
  [RequestMethod.PUT]: 'put',
  [RequestMethod.DELETE]: 'delete',
  [RequestMethod.PATCH]: 'patch',
};

function joinPath(prefix: string | undefined, path: string | undefined): string {
  const parts = [prefix, path].flatMap((p) => (p ?? '').split('/')).filter((p) => p !== '');
  return `/${parts.map((p) => (p.startsWith(':') ? `{${p.slice(1)}}` : p)).join('/')}`;
}

/** Every route of the API's controllers, read from the metadata Nest's decorators leave. */
export function apiRoutes(controllers: readonly Type[] = API_CONTROLLERS()): Route[] {
  const routes: Route[] = [];
  for (const controller of controllers) {
    const prefix = Reflect.getMetadata(PATH_METADATA, controller) as string | undefined;
    for (const name of Object.getOwnPropertyNames(controller.prototype)) {
      if (name === 'constructor') continue;
      const handler = (controller.prototype as Record<string, object>)[name];
      const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
      const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
      if (path === undefined || method === undefined) continue;
      routes.push({ method: METHODS[method] ?? 'get', path: joinPath(prefix, path), handler: `${controller.name}.${name}` });
    }
  }
  return routes;
}
