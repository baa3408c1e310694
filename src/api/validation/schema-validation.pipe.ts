import { Injectable, StandardSchemaValidationPipe, type ArgumentMetadata } from '@nestjs/common';
import { z } from 'zod';
import { badInput, type ErrorCodeOf } from '../../domain/errors.js';

type Where = 'body' | 'query' | 'path';

const EXPECTED: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'a boolean',
  object: 'an object',
  record: 'an object',
  array: 'an array',
};

/** `records.complaints[0].receivedAt` */
function pathText(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, key) => (typeof key === 'number' ? `${text}[${key}]` : text === '' ? String(key) : `${text}.${String(key)}`), '');
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function keysOf(path: readonly (PropertyKey | { readonly key: PropertyKey })[] | undefined): PropertyKey[] {
  return (path ?? []).map((segment) => (typeof segment === 'object' ? segment.key : segment));
}

/**
 * The problems of a request part in the words redprop has always used: every unknown field or
 * query parameter by name, a missing one, a wrong type, a value outside its enumeration.
 */
export function describeIssues(issues: readonly z.core.$ZodIssue[], where: Where, input: unknown, known: readonly string[], name?: string): string[] {
  const unknown: string[] = [];
  const problems: string[] = [];
  for (const issue of issues) {
    const path = [...(name ? [name] : []), ...keysOf(issue.path)];
    const at = pathText(path);
    const value = valueAt(input, keysOf(issue.path));
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        if (where === 'query') unknown.push(`unknown query parameter "${key}"${known.length > 0 ? ` (${known.join(', ')})` : ''}`);
        else unknown.push(path.length === 0 ? `unknown field "${key}"` : `${at}: unknown field "${key}"`);
      }
      continue;
    }
    const subject = where === 'body' ? `field "${at}"` : where === 'query' ? `query parameter "${at}"` : `path parameter "${at}"`;
    if (where === 'body' && path.length === 0) problems.push('the body must be a JSON object');
    else if (issue.code === 'invalid_type' && (value === undefined || value === null)) problems.push(`${subject} is required`);
    else if (issue.code === 'invalid_type' && where === 'query' && Array.isArray(value)) problems.push(`${subject} must be given once`);
    else if (issue.code === 'invalid_type') problems.push(`${subject} must be ${EXPECTED[issue.expected] ?? `a ${issue.expected}`}`);
    else if (issue.code === 'invalid_value') problems.push(`${subject} must be one of ${issue.values.map(String).join(', ')}`);
    else problems.push(`${subject} ${issue.message}`);
  }
  return [...unknown, ...problems];
}

const ERRORS: Record<Where, { code: ErrorCodeOf<'bad_input'>; zh: string }> = {
  body: { code: 'BODY_INVALID', zh: '请求体有误' },
  query: { code: 'QUERY_INVALID', zh: '请求有误' },
  path: { code: 'PATH_INVALID', zh: '请求路径有误' },
};

/**
 * Nest's Standard Schema pipe with redprop's coded errors: a body, query or path parameter that
 * its zod schema refuses is a 400 naming every problem (BODY_INVALID, QUERY_INVALID, PATH_INVALID)
 * with a Chinese message. Handlers receive what the schema made of the value.
 */
@Injectable()
export class SchemaValidationPipe extends StandardSchemaValidationPipe {
  constructor() {
    super({ transform: true });
  }

  override async transform<T = unknown>(value: T, metadata: ArgumentMetadata): Promise<T> {
    const schema = metadata.schema;
    if (!schema || metadata.type === 'custom') return value;
    if (!(schema instanceof z.ZodType)) return super.transform(value, metadata);
    this.stripProtoKeys(value);
    const result = await schema.safeParseAsync(value);
    if (result.success) return result.data as T;
    const where: Where = metadata.type === 'body' ? 'body' : metadata.type === 'query' ? 'query' : 'path';
    const known = schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
    const problems = describeIssues(result.error.issues, where, value, known, metadata.data);
    const { code, zh } = ERRORS[where];
    throw badInput(code, problems.slice(0, 50).join('; '), `${zh}：${problems.slice(0, 5).join('；')}`, problems.slice(0, 1000));
  }
}
