import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHttpApp } from '../src/api/http-app.js';
import { openApiDocument } from '../src/api/openapi/openapi-document.js';
import { loadConfig } from '../src/config/app-config.js';
import { packageRoot, packageVersion } from '../src/config/paths.js';
import { OPENAPI_FILE, writeTypedClient } from './openapi-client.js';

/**
 * Writes the OpenAPI document of the running service to the committed file, and the typed client's
 * types generated from it (`npm run openapi`; test/openapi.test.ts fails when either is stale).
 */
const app = await createHttpApp({ config: loadConfig({ REDPROP_PGLITE_DIR: ':memory:' }), migratesSchema: true }, false);
try {
  const document = openApiDocument(app, packageVersion());
  const documentPath = join(packageRoot(), OPENAPI_FILE);
  writeFileSync(documentPath, `${JSON.stringify(document, null, 2)}\n`);
  const typesPath = await writeTypedClient(document);
  process.stdout.write(`wrote ${documentPath}\nwrote ${typesPath}\n`);
} finally {
  await app.close();
}
