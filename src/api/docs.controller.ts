import { Controller, Get, Header, Inject } from '@nestjs/common';
import { Endpoint } from './openapi/endpoint.decorator.js';
import { openApiDocument, routesOf } from './openapi/openapi.js';
import { API_CONTROLLERS } from './api-controllers.js';

export const DOCS_ASSETS = '/docs/assets';

const PAGE = `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>redprop API</title>
<link rel="stylesheet" href="${DOCS_ASSETS}/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="${DOCS_ASSETS}/swagger-ui-bundle.js"></script>
<script>window.ui = SwaggerUIBundle({ url: '/docs-json', dom_id: '#swagger-ui', persistAuthorization: true });</script>
</body>
</html>`;

/** Swagger UI at /docs and the OpenAPI document at /docs-json, built from the controllers' own metadata and body schemas. */
@Controller()
export class DocsController {
  private document: Record<string, unknown> | null = null;

  constructor(@Inject('PACKAGE_VERSION') private readonly version: string) {}

  @Get('docs')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Endpoint({ tag: 'service', summary: 'Swagger UI', public: true, returns: { status: 200, description: 'HTML', content: 'html' } })
  page() {
    return PAGE;
  }

  @Get('docs-json')
  @Endpoint({ tag: 'service', summary: 'the OpenAPI 3 document', public: true, returns: { status: 200, description: 'OpenAPI JSON' } })
  json() {
    this.document ??= openApiDocument(routesOf(API_CONTROLLERS()), {
      title: 'redprop API',
      version: this.version,
      description:
        '红色物业服务企业考核评价：results, lists, ledger, reports, appeals and credit repair for the bureau (全部), street offices (本街道) and companies (本企业). ' +
        'Every endpoint but health and docs needs `Authorization: Bearer <key>` (redprop keys:create). Errors: `{ code, message, messageZh, details }`.',
    });
    return this.document;
  }
}
