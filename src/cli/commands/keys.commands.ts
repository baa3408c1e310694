import { userInfo } from 'node:os';
import { InvalidArgumentError, type Command } from 'commander';
import { API_KEY_ROLES, ApiKeysService, bindingText, type ApiKeyListing } from '../../auth/api-keys.service.js';
import type { Role } from '../../domain/access.js';
import { runInApp } from '../cli-context.js';
import { globalOptions, wholeNumber } from '../cli-options.js';

function defaultActor(): string {
  return `cli:${userInfo().username}`;
}

const role = (value: string): Role => {
  if (!API_KEY_ROLES.includes(value as Role)) throw new InvalidArgumentError(`must be one of ${API_KEY_ROLES.join(', ')}`);
  return value as Role;
};

const time = (at: Date | null) => (at ? at.toISOString().replace('T', ' ').slice(0, 19) + 'Z' : '—');

/** Terminal columns of a text: CJK and full-width characters take two. */
const displayWidth = (text: string) =>
  [...text].reduce((w, ch) => w + (/[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1), 0);

export function formatKeyList(keys: readonly ApiKeyListing[]): string {
  if (keys.length === 0) return '（没有 API 密钥 / no API keys）';
  const rows = [
    ['id', 'name', 'role', 'binding', 'prefix', 'created', 'last used', 'revoked'],
    ...keys.map((k) => [
      String(k.id),
      k.name,
      k.role,
      bindingText(k),
      `${k.keyPrefix}…`,
      time(k.createdAt),
      time(k.lastUsedAt),
      k.revokedAt ? time(k.revokedAt) : '—',
    ]),
  ];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => displayWidth(r[i]))));
  return rows
    .map((r) =>
      r
        .map((cell, i) => cell + ' '.repeat(widths[i] - displayWidth(cell)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** keys:create, keys:list, keys:revoke (on the server, with database access: no key needed) */
export function registerKeysCommands(program: Command): void {
  program
    .command('keys:create')
    .description('create an API key for the HTTP API and print it once (stored hashed)')
    .requiredOption('--role <role>', `bureau (住建局, everything), street (one street) or company (one company)`, role)
    .option('--street <code>', 'the street of a street key')
    .option('--company <uscc>', 'the 统一社会信用代码 of a company key')
    .requiredOption('--name <name>', 'who or what uses the key (recorded as the actor of its requests)')
    .option('--by <name>', 'who creates it (recorded)', defaultActor())
    .action((options: { role: Role; street?: string; company?: string; name: string; by: string }) =>
      runInApp(globalOptions(program), async (app) => {
        const created = await app
          .get(ApiKeysService)
          .create({ name: options.name, role: options.role, streetCode: options.street, uscc: options.company, createdBy: options.by });
        const binding = bindingText({
          role: options.role,
          streetCode: options.street?.trim() ?? null,
          companyUscc: options.company?.trim().toUpperCase() ?? null,
        });
        console.log(`API 密钥 #${created.id}（${options.name}，角色 ${options.role}，范围 ${binding}）：`);
        console.log('');
        console.log(`  ${created.key}`);
        console.log('');
        console.log('请立即妥善保存：此密钥只显示这一次，服务器只保存其摘要，无法再次查看。');
        console.log('Store it now: the key is shown only this once; the server keeps only its hash and cannot show it again.');
        console.log(`使用 / use: curl -H "Authorization: Bearer ${created.key}" http://127.0.0.1:<PORT>/runs`);
      }),
    );

  program
    .command('keys:list')
    .description('API keys: id, name, role, binding, prefix, created, last used, revoked (never the keys themselves)')
    .action(() =>
      runInApp(globalOptions(program), async (app) => {
        console.log(formatKeyList(await app.get(ApiKeysService).list()));
      }),
    );

  program
    .command('keys:revoke')
    .description('revoke an API key: it is refused from then on')
    .argument('<id>', 'the key id (see keys:list)', wholeNumber)
    .option('--by <name>', 'who revokes it (recorded)', defaultActor())
    .action((id: number, options: { by: string }) =>
      runInApp(globalOptions(program), async (app) => {
        const key = await app.get(ApiKeysService).revoke(id, options.by);
        console.log(`API 密钥 #${key.id}（${key.name}，${key.keyPrefix}…）已吊销 / revoked at ${time(key.revokedAt)}`);
      }),
    );
}
