import { badInput } from '../domain/errors.js';

/** What one field of a JSON body must be. The same description can feed an OpenAPI schema. */
export interface FieldRule {
  readonly type: 'string' | 'integer' | 'number' | 'boolean' | 'object';
  readonly required?: boolean;
  readonly enum?: readonly string[];
  /** for strings: at least one non-blank character */
  readonly nonBlank?: boolean;
  readonly description?: string;
}

export type BodySchema = Readonly<Record<string, FieldRule>>;

/** Checks a JSON body against its fields: unknown fields, missing fields and wrong types are refused by name. */
export function parseBody<T>(body: unknown, schema: BodySchema): T {
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw badInput('BODY_INVALID', 'the body must be a JSON object', '请求体须为 JSON 对象');
  const b = body as Record<string, unknown>;
  const problems: string[] = [];
  for (const key of Object.keys(b)) if (!Object.hasOwn(schema, key)) problems.push(`unknown field "${key}"`);
  for (const [name, rule] of Object.entries(schema)) {
    const value = b[name];
    if (value === undefined || value === null) {
      if (rule.required) problems.push(`field "${name}" is required`);
      continue;
    }
    const ok =
      rule.type === 'string'
        ? typeof value === 'string'
        : rule.type === 'integer'
          ? Number.isInteger(value)
          : rule.type === 'number'
            ? typeof value === 'number' && Number.isFinite(value)
            : rule.type === 'object'
              ? typeof value === 'object' && !Array.isArray(value)
              : typeof value === 'boolean';
    if (!ok) problems.push(`field "${name}" must be ${rule.type === 'integer' ? 'a whole number' : rule.type === 'object' ? 'an object' : `a ${rule.type}`}`);
    else if (rule.enum && !rule.enum.includes(value as string)) problems.push(`field "${name}" must be one of ${rule.enum.join(', ')}`);
    else if (rule.nonBlank && (value as string).trim() === '') problems.push(`field "${name}" must not be blank`);
  }
  if (problems.length > 0) throw badInput('BODY_INVALID', problems.join('; '), `请求体有误：${problems.join('；')}`, problems);
  return b as T;
}
