import { isOperator, type ConditionJson, type FactValue, type Facts, type LeafJson, type OperatorName, type RuleJson } from './rule-json.js';

/** One leaf condition as evaluated: what it read, what it expected, and whether it held. */
export interface ConditionResult {
  fact: string;
  operator: OperatorName;
  expected: unknown;
  actual: FactValue;
  result: boolean;
}

export interface RuleResult {
  rule: string;
  fired: boolean;
  /** every leaf evaluated, in rule order: the facts it read with their values */
  conditions: ConditionResult[];
}

export interface CompiledRule {
  readonly json: RuleJson;
  /** every fact the rule reads, leaf facts and facts compared with */
  readonly facts: readonly string[];
  /** the facts its leaf conditions read, each once, in the order of the leaves (what a fired rule shows as read) */
  readonly leafFacts: readonly string[];
  /** how many leaf conditions it has: the bytes `evaluateInto` writes */
  readonly leafCount: number;
  /** every leaf evaluated, with what it read and expected; allocates per condition (explanations, tests) */
  evaluate(facts: Facts): RuleResult;
  /**
   * The scoring path: writes 1 or 0 per leaf condition, in rule order, into `out` from `offset`
   * and returns whether the rule fired. Allocates nothing.
   */
  evaluateInto(facts: Facts, out: Uint8Array, offset: number): boolean;
}

type Evaluate = (facts: Facts, out: Uint8Array, offset: number) => boolean;

/** json-rules-engine 7's validator of numeric comparisons (`numberValidator`), for values that are not numbers. */
const numeric = (value: unknown) => Number.parseFloat(value as string).toString() !== 'NaN';

/**
 * The same semantics as json-rules-engine 7's default operators, including their fact-value
 * validators: a numeric comparison on a value that is not a number (null, a flag) is false.
 * For a number the validator only refuses NaN, and every comparison with NaN is false anyway,
 * so a number is compared directly.
 */
const OPERATOR_FUNCTIONS: Record<OperatorName, (a: unknown, b: unknown) => boolean> = {
  equal: (a, b) => a === b,
  notEqual: (a, b) => a !== b,
  in: (a, b) => (b as unknown[]).indexOf(a) > -1,
  notIn: (a, b) => (b as unknown[]).indexOf(a) === -1,
  contains: (a, b) => Array.isArray(a) && a.indexOf(b) > -1,
  doesNotContain: (a, b) => Array.isArray(a) && a.indexOf(b) === -1,
  lessThan: (a, b) => (typeof a === 'number' ? a < (b as number) : numeric(a) && (a as number) < (b as number)),
  lessThanInclusive: (a, b) => (typeof a === 'number' ? a <= (b as number) : numeric(a) && (a as number) <= (b as number)),
  greaterThan: (a, b) => (typeof a === 'number' ? a > (b as number) : numeric(a) && (a as number) > (b as number)),
  greaterThanInclusive: (a, b) => (typeof a === 'number' ? a >= (b as number) : numeric(a) && (a as number) >= (b as number)),
};

export class RuleCompileError extends Error {
  constructor(
    readonly rule: string,
    readonly problem: string,
  ) {
    super(`rule "${rule}": ${problem}`);
  }
}

/**
 * Compiles a rule once into closures. json-rules-engine re-clones conditions and goes through
 * promises on every run; the compiled form gives the same answers and the same per-condition
 * detail, written as bytes (no object per condition) on the scoring path.
 */
export function compileRule(json: RuleJson, knownFacts: ReadonlySet<string>): CompiledRule {
  const name = typeof json?.name === 'string' && json.name !== '' ? json.name : '(unnamed)';
  if (name === '(unnamed)') throw new RuleCompileError(name, 'a rule needs a "name"');
  if (!json.event || typeof json.event.type !== 'string') throw new RuleCompileError(name, 'a rule needs an "event" with a "type"');
  const facts = new Set<string>();
  const leaves: LeafJson[] = [];
  const root = compileCondition(json.conditions, { rule: name, knownFacts, used: facts, leaves }, 'conditions');
  const leafCount = leaves.length;
  return {
    json,
    facts: [...facts],
    leafFacts: [...new Set(leaves.map((l) => l.fact))],
    leafCount,
    evaluateInto: root,
    evaluate(values) {
      const results = new Uint8Array(leafCount);
      const fired = root(values, results, 0);
      return { rule: name, fired, conditions: leaves.map((leaf, i) => conditionResult(leaf, values, results[i] === 1)) };
    },
  };
}

/** One leaf's detail: what it read and expected (a referenced fact with its value) and its result. */
export function conditionResult(leaf: LeafJson, facts: Facts, result: boolean): ConditionResult {
  const other = factReference(leaf.value);
  return {
    fact: leaf.fact,
    operator: leaf.operator as OperatorName,
    expected: other === null ? leaf.value : { fact: other, value: facts[other] ?? null },
    actual: facts[leaf.fact] ?? null,
    result,
  };
}

/** The fact a leaf's `value: { "fact": … }` compares with, or null for a literal value. */
export function factReference(value: unknown): string | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as { fact: string }).fact : null;
}

interface CompileContext {
  rule: string;
  knownFacts: ReadonlySet<string>;
  used: Set<string>;
  /** the leaves compiled so far; a leaf's index is its byte */
  leaves: LeafJson[];
}

/** Which boolean operator a condition is, with json-rules-engine's precedence (any, all, not). */
function booleanOperatorOf(condition: object): 'any' | 'all' | 'not' | null {
  if (Object.hasOwn(condition, 'any')) return 'any';
  if (Object.hasOwn(condition, 'all')) return 'all';
  if (Object.hasOwn(condition, 'not')) return 'not';
  return null;
}

function compileCondition(condition: ConditionJson, context: CompileContext, where: string): Evaluate {
  if (condition === null || typeof condition !== 'object' || Array.isArray(condition)) {
    throw new RuleCompileError(context.rule, `${where} must be an object with "all", "any", "not" or "fact"`);
  }
  const kind = booleanOperatorOf(condition);
  if (kind === 'all' || kind === 'any') {
    const list = (condition as Record<typeof kind, ConditionJson[]>)[kind];
    if (!Array.isArray(list)) throw new RuleCompileError(context.rule, `${where}.${kind} must be an array`);
    const parts = list.map((c, i) => compileCondition(c, context, `${where}.${kind}[${i}]`));
    return kind === 'all' ? allOf(parts) : anyOf(parts);
  }
  if (kind === 'not') {
    const inner = compileCondition((condition as { not: ConditionJson }).not, context, `${where}.not`);
    return (facts, out, offset) => !inner(facts, out, offset);
  }
  return compileLeaf(condition as LeafJson, context, where);
}

// Every part is evaluated (no short cut) so that the trace shows all that was read. Small
// lists, the usual case, get a closure of their own length instead of a loop.
function allOf(parts: Evaluate[]): Evaluate {
  const [a, b, c] = parts;
  switch (parts.length) {
    case 0:
      return () => true;
    case 1:
      return a;
    case 2:
      return (facts, out, offset) => {
        const x = a(facts, out, offset);
        const y = b(facts, out, offset);
        return x && y;
      };
    case 3:
      return (facts, out, offset) => {
        const x = a(facts, out, offset);
        const y = b(facts, out, offset);
        const z = c(facts, out, offset);
        return x && y && z;
      };
    default:
      return (facts, out, offset) => {
        let ok = true;
        for (let i = 0; i < parts.length; i++) ok = parts[i](facts, out, offset) && ok;
        return ok;
      };
  }
}

/** As json-rules-engine, an empty `any` holds (its evaluation of an empty list is true). */
function anyOf(parts: Evaluate[]): Evaluate {
  const [a, b, c] = parts;
  switch (parts.length) {
    case 0:
      return () => true;
    case 1:
      return a;
    case 2:
      return (facts, out, offset) => {
        const x = a(facts, out, offset);
        const y = b(facts, out, offset);
        return x || y;
      };
    case 3:
      return (facts, out, offset) => {
        const x = a(facts, out, offset);
        const y = b(facts, out, offset);
        const z = c(facts, out, offset);
        return x || y || z;
      };
    default:
      return (facts, out, offset) => {
        let ok = false;
        for (let i = 0; i < parts.length; i++) ok = parts[i](facts, out, offset) || ok;
        return ok;
      };
  }
}

function compileLeaf(leaf: LeafJson, context: CompileContext, where: string): Evaluate {
  const { rule, knownFacts, used } = context;
  if (typeof leaf.fact !== 'string') throw new RuleCompileError(rule, `${where} has no "fact"`);
  if (!knownFacts.has(leaf.fact)) throw new RuleCompileError(rule, `${where}: unknown fact "${leaf.fact}"`);
  if (!isOperator(leaf.operator)) throw new RuleCompileError(rule, `${where}: unknown operator "${String(leaf.operator)}"`);
  if (!('value' in leaf)) throw new RuleCompileError(rule, `${where} has no "value"`);
  const operator = leaf.operator;
  const fact = leaf.fact;
  used.add(fact);
  const value = leaf.value;
  const other = factReference(value);
  if (other === null && (operator === 'in' || operator === 'notIn') && !Array.isArray(value)) {
    throw new RuleCompileError(rule, `${where}: "${operator}" needs an array value`);
  }
  if (other !== null) {
    if (typeof other !== 'string' || !knownFacts.has(other)) {
      throw new RuleCompileError(rule, `${where}: value refers to unknown fact "${String(other)}"`);
    }
    used.add(other);
  }
  const index = context.leaves.push(leaf) - 1;
  if (other !== null) {
    const apply = OPERATOR_FUNCTIONS[operator];
    return (facts, out, offset) => {
      const result = apply(facts[fact] ?? null, facts[other] ?? null);
      out[offset + index] = result ? 1 : 0;
      return result;
    };
  }
  return literalLeaf(operator, fact, value, index);
}

function write(out: Uint8Array, at: number, result: boolean): boolean {
  out[at] = result ? 1 : 0;
  return result;
}

/**
 * A leaf against a literal value, specialised by operator so that the common comparison of a
 * number with a number is one typeof check and one comparison. A missing fact reads as null,
 * which only equal/notEqual/in/notIn can tell from undefined (numeric comparisons refuse both).
 */
function literalLeaf(operator: OperatorName, fact: string, value: unknown, index: number): Evaluate {
  switch (operator) {
    case 'greaterThanInclusive':
      return (facts, out, offset) => {
        const a: unknown = facts[fact];
        return write(out, offset + index, typeof a === 'number' ? a >= (value as number) : numeric(a) && (a as number) >= (value as number));
      };
    case 'greaterThan':
      return (facts, out, offset) => {
        const a: unknown = facts[fact];
        return write(out, offset + index, typeof a === 'number' ? a > (value as number) : numeric(a) && (a as number) > (value as number));
      };
    case 'lessThan':
      return (facts, out, offset) => {
        const a: unknown = facts[fact];
        return write(out, offset + index, typeof a === 'number' ? a < (value as number) : numeric(a) && (a as number) < (value as number));
      };
    case 'lessThanInclusive':
      return (facts, out, offset) => {
        const a: unknown = facts[fact];
        return write(out, offset + index, typeof a === 'number' ? a <= (value as number) : numeric(a) && (a as number) <= (value as number));
      };
    case 'equal':
      return value === null
        ? (facts, out, offset) => write(out, offset + index, (facts[fact] ?? null) === null)
        : (facts, out, offset) => write(out, offset + index, facts[fact] === value);
    case 'notEqual':
      return value === null
        ? (facts, out, offset) => write(out, offset + index, (facts[fact] ?? null) !== null)
        : (facts, out, offset) => write(out, offset + index, facts[fact] !== value);
    default: {
      const apply = OPERATOR_FUNCTIONS[operator];
      return (facts, out, offset) => write(out, offset + index, apply(facts[fact] ?? null, value));
    }
  }
}

/** The leaf conditions of a rule in the order evaluation visits (and traces) them. */
export function leavesOf(condition: ConditionJson): LeafJson[] {
  const kind = booleanOperatorOf(condition);
  if (kind === 'any') return (condition as { any: ConditionJson[] }).any.flatMap(leavesOf);
  if (kind === 'all') return (condition as { all: ConditionJson[] }).all.flatMap(leavesOf);
  if (kind === 'not') return leavesOf((condition as { not: ConditionJson }).not);
  return [condition as LeafJson];
}
