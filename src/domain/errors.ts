/**
 * Coded domain errors. Every error a user can cause carries a stable English code and a
 * Chinese message; the code's category comes from the catalogue (error-catalogue.ts), and the
 * edges (CLI, HTTP) map the category to an exit code or status.
 */
import { categoryOf, type ErrorCategory, type ErrorCode, type ErrorCodeOf } from './error-catalogue.js';

export type { ErrorCategory, ErrorCode, ErrorCodeOf } from './error-catalogue.js';

export class DomainError extends Error {
  readonly code: ErrorCode;
  /** from the catalogue: the same code is always the same category */
  readonly category: ErrorCategory;
  readonly messageZh: string;
  readonly details: readonly string[];

  constructor(code: ErrorCode, message: string, messageZh: string, details: readonly string[] = []) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
    this.category = categoryOf(code);
    this.messageZh = messageZh;
    this.details = details;
  }
}

/** A record that failed a validation rule, located precisely enough to find and fix it. */
export interface Fault {
  /** e.g. `项目 P0001` or `文件 a.xlsx / 工作表 投诉工单 / 第 12 行` */
  readonly record: string;
  /** where the record came from, when it came from a file */
  readonly origin?: { readonly file?: string; readonly sheet?: string; readonly row?: number };
  readonly field: string;
  readonly code: string;
  readonly message: string;
}

export const MAX_REPORTED_FAULTS = 1000;

export class ValidationFailedError extends DomainError {
  constructor(
    readonly faults: readonly Fault[],
    readonly totalFaults: number = faults.length,
  ) {
    const lines = faults.map((f) => `${f.record} · ${f.field}: ${f.message} [${f.code}]`);
    if (totalFaults > faults.length) lines.push(`…… 另有 ${totalFaults - faults.length} 处错误未列出`);
    super('VALIDATION_FAILED', `${totalFaults} invalid value(s); nothing was written`, `数据校验未通过，共 ${totalFaults} 处错误，未写入任何数据`, lines);
  }
}

/** A caller who asks for more at once than the server gives one key (or all keys together): try again later. */
export class TooManyRequestsError extends DomainError {
  constructor(
    code: ErrorCodeOf<'too_many_requests'>,
    message: string,
    messageZh: string,
    readonly retryAfterSeconds: number,
  ) {
    super(code, message, messageZh);
  }
}

/** A refusal of what was asked; the code must be one of the catalogue's bad_input codes. */
export function badInput(code: ErrorCodeOf<'bad_input'>, message: string, messageZh: string, details: readonly string[] = []): DomainError {
  return new DomainError(code, message, messageZh, details);
}

/** No company has this 统一社会信用代码. */
export function companyUnknown(uscc: string): DomainError {
  return new DomainError('COMPANY_UNKNOWN', `no company ${uscc}`, `统一社会信用代码为 ${uscc} 的企业不存在`);
}
