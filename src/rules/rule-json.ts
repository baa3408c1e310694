/** Rules in json-rules-engine's format (https://github.com/CacheControl/json-rules-engine/blob/master/docs/rules.md). */
export interface RuleJson {
  name: string;
  priority?: number;
  conditions: ConditionJson;
  event: { type: string; params?: Record<string, unknown> };
}

export type ConditionJson = AllJson | AnyJson | NotJson | LeafJson;
export interface AllJson { all: ConditionJson[] }
export interface AnyJson { any: ConditionJson[] }
export interface NotJson { not: ConditionJson }
export interface LeafJson {
  fact: string;
  operator: string;
  /** a literal, or `{ "fact": "otherFact" }` to compare with another fact */
  value: unknown;
}

export type FactValue = number | boolean | string | null;
export type Facts = Readonly<Record<string, FactValue>>;

/** The operators json-rules-engine ships with; a rule set may use these and no others. */
export const OPERATORS = [
  'equal',
  'notEqual',
  'in',
  'notIn',
  'contains',
  'doesNotContain',
  'lessThan',
  'lessThanInclusive',
  'greaterThan',
  'greaterThanInclusive',
] as const;
export type OperatorName = (typeof OPERATORS)[number];

export function isOperator(name: unknown): name is OperatorName {
  return typeof name === 'string' && (OPERATORS as readonly string[]).includes(name);
}
