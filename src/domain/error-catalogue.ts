/**
 * The catalogue of error codes: every stable code a caller can receive, its category (what the
 * edges make of it: an HTTP status, a CLI exit code) and what it means in general, in Chinese.
 * A throw site names the code only; the category comes from here. Pure: no framework imports.
 *
 * Codes of per-row validation faults (the `code` of a `Fault` or an import fault, e.g. `REQUIRED`)
 * are not here: they locate a fault inside an error (VALIDATION_FAILED, IMPORT_REJECTED,
 * APPEAL_LINES_INVALID), they are not thrown themselves.
 */
export type ErrorCategory = 'bad_input' | 'unauthorized' | 'not_found' | 'conflict' | 'forbidden' | 'too_many_requests' | 'unavailable' | 'internal';

export const ERROR_CATEGORIES: readonly ErrorCategory[] = [
  'bad_input',
  'unauthorized',
  'not_found',
  'conflict',
  'forbidden',
  'too_many_requests',
  'unavailable',
  'internal',
];

export const ERROR_CATALOGUE = {
  // —— configuration, database, service ——
  CONFIG_INVALID: { category: 'bad_input', zh: '配置有误（环境变量或配置项取值无效）' },
  DATABASE_NOT_MIGRATED: { category: 'conflict', zh: '数据库尚未初始化（还没有建表），须先运行数据库迁移' },
  DATABASE_MIGRATIONS_PENDING: { category: 'conflict', zh: '数据库结构版本落后于程序，须先运行数据库迁移' },
  DATABASE_UNAVAILABLE: { category: 'unavailable', zh: '数据库不可用' },
  INTERNAL_ERROR: { category: 'internal', zh: '内部错误（非预期的程序错误）' },

  // —— HTTP requests (answered by the HTTP layer itself) ——
  BODY_INVALID: { category: 'bad_input', zh: '请求体有误（不是 JSON 对象、缺少字段、字段取值无效或有未知字段）' },
  QUERY_INVALID: { category: 'bad_input', zh: '查询参数有误' },
  PATH_INVALID: { category: 'bad_input', zh: '请求路径中的参数有误' },
  UPLOAD_MISSING: { category: 'bad_input', zh: '请求中没有上传文件' },
  /** sent by the HTTP layer with status 413 (the nearest category is bad_input) */
  UPLOAD_TOO_LARGE: { category: 'bad_input', zh: '上传的文件或请求过大' },
  /** an HTTP error of the framework, sent with its own status */
  HTTP_ERROR: { category: 'bad_input', zh: '请求有误' },
  NOT_FOUND: { category: 'not_found', zh: '请求的资源（接口路径）不存在' },
  /** the server's own answer does not match the documented response schema: a fault of the server */
  RESPONSE_INVALID: { category: 'internal', zh: '服务内部错误：应答与接口文档不符' },

  // —— API keys and access ——
  UNAUTHORIZED: { category: 'unauthorized', zh: '未提供 API 密钥，或密钥无效、已吊销' },
  FORBIDDEN_ROLE: { category: 'forbidden', zh: '密钥的角色无权调用此接口' },
  FORBIDDEN_SCOPE: { category: 'forbidden', zh: '所请求的街道、企业或数据不在本密钥的权限范围内' },
  KEY_NAME_INVALID: { category: 'bad_input', zh: '密钥名称无效（不能为空，且不超过 200 个字符）' },
  KEY_ROLE_INVALID: { category: 'bad_input', zh: '未知的密钥角色' },
  KEY_CREATOR_MISSING: { category: 'bad_input', zh: '未注明密钥的创建人' },
  KEY_BINDING_INVALID: { category: 'bad_input', zh: '密钥绑定的街道或企业与其角色不符' },
  KEY_UNKNOWN: { category: 'not_found', zh: 'API 密钥不存在' },
  KEY_ALREADY_REVOKED: { category: 'conflict', zh: 'API 密钥已被吊销' },

  // —— request values shared by several commands ——
  PERIOD_INVALID: { category: 'bad_input', zh: '考核周期无效（应写作 2025、2025-H1、2025-Q3 或 2025-07）' },
  DATE_RANGE_INVALID: { category: 'bad_input', zh: '起止日期无效（须为 YYYY-MM-DD，且起始不晚于截止）' },
  STREET_UNKNOWN: { category: 'bad_input', zh: '街道编码不存在' },
  USCC_INVALID: { category: 'bad_input', zh: '统一社会信用代码无效' },
  COMPANY_UNKNOWN: { category: 'not_found', zh: '该统一社会信用代码的企业不存在' },

  // —— data intake ——
  VALIDATION_FAILED: { category: 'bad_input', zh: '数据校验未通过，未写入任何数据（各处错误见详情）' },
  DUPLICATE_KEY: { category: 'bad_input', zh: '数据重复（与已有数据的编码或周期重复），未写入任何数据' },
  METRIC_PARAMETER_INVALID: { category: 'bad_input', zh: '指标参数不是有效数值' },
  RECORD_WINDOW_INVALID: { category: 'bad_input', zh: '不良记录期限（月数）无效' },

  // —— spreadsheet import and templates ——
  IMPORT_FILE_NOT_FOUND: { category: 'bad_input', zh: '找不到要导入的文件' },
  IMPORT_FILE_TYPE: { category: 'bad_input', zh: '不支持的文件类型（只能导入 .xlsx 或 .csv）' },
  IMPORT_MACROS_REFUSED: { category: 'bad_input', zh: '文件含有宏，为安全起见拒绝导入' },
  IMPORT_ACTIVE_CONTENT_REFUSED: { category: 'bad_input', zh: '文件含有控件或嵌入对象，为安全起见拒绝导入' },
  IMPORT_EXTERNAL_LINKS_REFUSED: { category: 'bad_input', zh: '文件含有外部链接，为安全起见拒绝导入' },
  IMPORT_FILE_TOO_LARGE: { category: 'bad_input', zh: '文件过大（或解压后过大）' },
  IMPORT_TOO_MANY_ROWS: { category: 'bad_input', zh: '文件的数据行过多' },
  IMPORT_FILE_UNREADABLE: { category: 'bad_input', zh: '文件无法读取（不是有效的 .xlsx 工作簿，或已损坏）' },
  IMPORT_FILE_ENCRYPTED: { category: 'bad_input', zh: '文件已加密或不是 .xlsx 格式' },
  IMPORT_FAMILY_UNKNOWN: { category: 'bad_input', zh: '无法从表头识别文件的数据类别' },
  IMPORT_NO_DATA: { category: 'bad_input', zh: '文件中没有可导入的数据行' },
  IMPORT_REJECTED: { category: 'bad_input', zh: '导入未通过，未写入任何数据（错误列在错误说明工作簿中）' },
  FAMILY_UNKNOWN: { category: 'bad_input', zh: '未知的数据类别' },
  TEMPLATE_OUT_INVALID: { category: 'bad_input', zh: '模板须保存为 .xlsx 文件' },

  // —— rule sets ——
  RULESET_NOT_FOUND: { category: 'bad_input', zh: '找不到规则集目录' },
  RULESET_INVALID: { category: 'bad_input', zh: '规则集有误（检查未通过），考核未运行' },
  RULESET_NONE_IN_FORCE: { category: 'bad_input', zh: '没有适用于该考核周期的规则集' },
  RULESET_AMBIGUOUS: { category: 'bad_input', zh: '有两个规则集同时适用于该考核周期' },
  RUN_RULE_SET_INVALID: { category: 'conflict', zh: '考核运行所存的规则文件已不能被当前程序编译' },

  // —— assessment runs ——
  RUN_NOT_FOUND: { category: 'not_found', zh: '考核运行不存在（或该考核周期尚无考核运行）' },
  RUN_NOT_DRAFT: { category: 'conflict', zh: '考核运行不是草稿（已发布或已被替代）' },
  RUN_NOT_PUBLISHED: { category: 'conflict', zh: '考核运行尚未发布' },
  PUBLICATION_OUT_OF_ORDER: { category: 'conflict', zh: '考核周期早于已发布的周期，不能发布' },
  COMPANY_NOT_IN_RUN: { category: 'not_found', zh: '企业不在该考核运行中' },
  COMPANY_NOT_IN_STREET: { category: 'not_found', zh: '企业在该街道没有物业项目' },
  PROJECT_NOT_IN_RESULT: { category: 'not_found', zh: '项目不属于该企业或不在本次考核中' },
  COMPARE_SCOPE_MISMATCH: { category: 'bad_input', zh: '对比的考核运行与本次模拟的考核周期或街道不一致' },

  // —— appeals: the appeal score sheet ——
  APPEAL_SHEET_UNREADABLE: { category: 'bad_input', zh: '申诉评分表无法读取' },
  APPEAL_SHEET_TOO_LARGE: { category: 'bad_input', zh: '申诉评分表解压后过大，不是本系统导出的评分表' },
  APPEAL_SHEET_SCORESHEET_MISSING: { category: 'bad_input', zh: '申诉评分表中缺少评分工作表或其表头' },
  APPEAL_SHEET_SIGNATURE_MISSING: { category: 'bad_input', zh: '申诉评分表没有完整的签名页' },
  APPEAL_SHEET_SIGNATURE_INVALID: { category: 'bad_input', zh: '申诉评分表的签名校验未通过（不是本系统导出或签名页被改动）' },
  APPEAL_SHEET_MODIFIED: { category: 'bad_input', zh: '申诉评分表中申诉列以外的内容被改动' },
  APPEAL_SHEET_FOREIGN: { category: 'forbidden', zh: '申诉评分表不是本企业的' },
  APPEAL_SHEET_WRONG_PERIOD: { category: 'bad_input', zh: '申诉评分表不属于所指定的考核周期' },
  APPEAL_SHEET_OUTDATED: { category: 'conflict', zh: '申诉评分表对应的结果版本已被修订，须重新下载' },
  APPEAL_SHEET_EMPTY: { category: 'bad_input', zh: '申诉评分表没有填写任何申诉行' },
  APPEAL_LINES_INVALID: { category: 'bad_input', zh: '申诉评分表中有不能受理的申诉行，整份申诉未登记' },
  APPEAL_RUN_NOT_CURRENT: { category: 'conflict', zh: '考核运行已不是本期发布的结果（已被替代）' },
  APPEAL_RESULT_FINAL: { category: 'conflict', zh: '考核结果已成为最终结果，不再受理申诉' },
  APPEAL_WINDOW_CLOSED: { category: 'conflict', zh: '申诉期限已届满' },
  APPEAL_LINE_UNDER_REVIEW: { category: 'conflict', zh: '该行的申诉已在审核中或状态刚刚变化，不能替换' },
  APPEAL_CLAIM_EMPTY: { category: 'bad_input', zh: '未填写主张值（更正值）' },
  APPEAL_CLAIM_INVALID: { category: 'bad_input', zh: '主张值（更正值）无法识别' },
  APPEAL_CLAIM_OUT_OF_RANGE: { category: 'bad_input', zh: '主张值（更正值）超出指标的取值范围' },
  APPEAL_EVENT_CLAIM_INCREASE: { category: 'bad_input', zh: '申诉不能增加已登记事件的次数' },

  // —— appeals: review decisions and corrections ——
  APPEAL_DECISION_REASON_REQUIRED: { category: 'bad_input', zh: '审核决定未写明理由' },
  APPEAL_REVIEWER_REQUIRED: { category: 'bad_input', zh: '审核决定未注明审核人' },
  APPEAL_LINE_NOT_FOUND: { category: 'not_found', zh: '申诉行不存在' },
  APPEAL_LINE_CLOSED: { category: 'conflict', zh: '申诉行已结案，不能再作审核决定' },
  APPEAL_WRONG_LEVEL: { category: 'conflict', zh: '申诉行不在该审核层级（街道初审或住建局复核）' },
  APPEAL_VALUE_NOT_ALLOWED: { category: 'bad_input', zh: '只有住建局复核认定申诉成立时才能指定更正值' },
  APPEAL_VALUE_REQUIRED: { category: 'bad_input', zh: '认定申诉成立时须指定更正值' },
  APPEAL_LINE_NOT_CORRECTABLE: { category: 'bad_input', zh: '该行没有可更正的指标' },
  CORRECTION_FACT_UNKNOWN: { category: 'bad_input', zh: '要更正的指标或项目不存在' },
  CORRECTION_VALUE_INVALID: { category: 'bad_input', zh: '更正值无效' },

  // —— credit repair ——
  CREDIT_REPAIR_RECTIFICATION_REQUIRED: { category: 'bad_input', zh: '信用修复申请未说明整改情况' },
  CREDIT_REPAIR_EVIDENCE_REQUIRED: { category: 'bad_input', zh: '信用修复申请未附整改证据' },
  CREDIT_REPAIR_NOT_LISTED: { category: 'conflict', zh: '企业不在黑榜上，无需信用修复' },
  CREDIT_REPAIR_ENTRY_REQUIRED: { category: 'bad_input', zh: '企业有多条黑榜记录，须指定要修复的一条' },
  CREDIT_REPAIR_ENTRY_UNKNOWN: { category: 'not_found', zh: '企业没有该条在榜的黑榜记录' },
  CREDIT_REPAIR_TOO_EARLY: { category: 'conflict', zh: '黑榜记录未满最短期限，不能申请信用修复' },
  CREDIT_REPAIR_PENDING: { category: 'conflict', zh: '该黑榜记录已有待决定的信用修复申请' },
  CREDIT_REPAIR_REASON_REQUIRED: { category: 'bad_input', zh: '信用修复决定未写明理由' },
  CREDIT_REPAIR_NOT_FOUND: { category: 'not_found', zh: '信用修复申请不存在' },
  CREDIT_REPAIR_DECIDED: { category: 'conflict', zh: '信用修复申请已决定' },
  CREDIT_REPAIR_ENTRY_CLOSED: { category: 'conflict', zh: '黑榜记录已不在榜，无需修复' },

  // —— reports ——
  REPORT_KIND_UNKNOWN: { category: 'bad_input', zh: '报表类型不存在' },
  REPORT_PERIOD_KIND: { category: 'bad_input', zh: '考核周期的格式不适用于该报表' },
  REPORT_COMPANY_REQUIRED: { category: 'bad_input', zh: '企业考核评分表须指定企业' },
  REPORT_COMPANY_NOT_APPLICABLE: { category: 'bad_input', zh: '该报表不按企业生成，不能指定企业' },

  // —— scheduled jobs ——
  JOB_UNKNOWN: { category: 'bad_input', zh: '定时任务不存在' },
  JOB_PERIOD_INVALID: { category: 'bad_input', zh: '考核周期的格式不适用于该定时任务' },
  JOB_ALREADY_DONE: { category: 'conflict', zh: '定时任务在该周期已成功运行过' },
  JOB_RUNNING: { category: 'conflict', zh: '定时任务在该周期正在运行' },

  // —— background tasks and uploads ——
  TASK_NOT_FOUND: { category: 'not_found', zh: '任务不存在' },
  TASK_HAS_NO_FILE: { category: 'conflict', zh: '任务没有可下载的文件' },
  /** a task of a kind this server has no handler for (a newer server queued it) */
  TASK_KIND_UNKNOWN: { category: 'internal', zh: '未知的任务类型' },
  /** recorded on a task the server stopped before it finished (never thrown) */
  TASK_INTERRUPTED: { category: 'unavailable', zh: '服务在任务完成前停止，任务未完成，须重新提交' },
  TOO_MANY_TASKS: { category: 'too_many_requests', zh: '本密钥排队或运行中的任务过多，请稍后再提交' },
  TOO_MANY_UPLOADS: { category: 'too_many_requests', zh: '本密钥正在上传或处理的文件过多，请稍后再上传' },
  SERVER_BUSY: { category: 'too_many_requests', zh: '服务器繁忙，请稍后再试' },

  // —— demo data ——
  SEED_SCALE_UNKNOWN: { category: 'bad_input', zh: '未知的示例数据规模' },
  SEED_INVALID: { category: 'bad_input', zh: '随机种子须为非负整数' },
  SEED_WOULD_REPLACE_DATA: { category: 'conflict', zh: '数据库中已有数据，生成示例数据会覆盖它们' },
} as const satisfies Record<string, { category: ErrorCategory; zh: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

/** The codes of one category, e.g. `ErrorCodeOf<'bad_input'>` for `badInput`. */
export type ErrorCodeOf<C extends ErrorCategory> = { [K in ErrorCode]: (typeof ERROR_CATALOGUE)[K]['category'] extends C ? K : never }[ErrorCode];

export function isErrorCategory(value: unknown): value is ErrorCategory {
  return typeof value === 'string' && (ERROR_CATEGORIES as readonly string[]).includes(value);
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CATALOGUE, value);
}

export function categoryOf(code: ErrorCode): ErrorCategory {
  return ERROR_CATALOGUE[code].category;
}

const HTTP_STATUS: Record<ErrorCategory, number> = {
  bad_input: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_many_requests: 429,
  unavailable: 503,
  internal: 500,
};

/** The HTTP status of an error of this category. */
export function httpStatusOf(category: ErrorCategory): number {
  return HTTP_STATUS[category];
}

export const EXIT_OK = 0;
/** the program failed (an internal error, or something it needs is unavailable) */
export const EXIT_INTERNAL = 1;
/** the command was refused (what was asked is wrong, not allowed, not found or in conflict) */
export const EXIT_BAD_INPUT = 2;

const EXIT_CODE: Record<ErrorCategory, typeof EXIT_INTERNAL | typeof EXIT_BAD_INPUT> = {
  bad_input: EXIT_BAD_INPUT,
  unauthorized: EXIT_BAD_INPUT,
  forbidden: EXIT_BAD_INPUT,
  not_found: EXIT_BAD_INPUT,
  conflict: EXIT_BAD_INPUT,
  too_many_requests: EXIT_BAD_INPUT,
  unavailable: EXIT_INTERNAL,
  internal: EXIT_INTERNAL,
};

/** The CLI exit code of an error of this category (never EXIT_OK). */
export function exitCodeOf(category: ErrorCategory): number {
  return EXIT_CODE[category];
}
