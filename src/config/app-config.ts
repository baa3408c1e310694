import { resolve } from 'node:path';
import { CronTime } from 'cron';
import { DomainError } from '../domain/errors.js';

export type DatabaseConfig =
  { readonly kind: 'pglite'; /** null: in memory */ readonly dataDir: string | null } | { readonly kind: 'postgres'; readonly url: string };

export interface AppConfig {
  readonly database: DatabaseConfig;
  readonly reportsDir: string;
  /** used when the run's rule set does not set its own appeal deadlines */
  readonly appealWindowDays: number;
  readonly rectificationDays: number;
  /** draft runs older than this many days are removed by runs:prune (unless something refers to them) */
  readonly draftRetentionDays: number;
  /** HMAC key of the appeal sheets; null: one is generated and kept in the database */
  readonly appealSecret: string | null;
  readonly timeZone: string;
  readonly httpPort: number;
  /** cron patterns (minute hour day month weekday) of the scheduled jobs, in `timeZone` */
  readonly schedules: ScheduleConfig;
  /** whether `serve` runs the scheduled jobs */
  readonly schedulerEnabled: boolean;
  /** this process's name in scheduled-firing records and logs */
  readonly instanceName: string;
  /** `json`: one JSON object per log line (serve); `text`: Nest's console format */
  readonly logFormat: 'json' | 'text';
  /** how much of the server one key, and all keys together, may occupy at once */
  readonly limits: ServiceLimits;
  /** an answer with a field its response schema does not document fails (development and tests); otherwise the field is left out */
  readonly strictResponses: boolean;
}

export interface ServiceLimits {
  /** uploads in progress per API key; beyond it 429 */
  readonly uploadsPerKey: number;
  /** uploads in progress in the process; beyond it 429 */
  readonly uploads: number;
  /** tasks queued or running per API key; beyond it 429 */
  readonly tasksPerKey: number;
  /**
   * tasks running at once (assessments, reports, what-if runs, scheduled jobs): the others wait
   * queued. 1: one in the whole queue, whatever the number of servers; more: so many per server.
   */
  readonly heavyTasks: number;
  /** how often an idle task worker asks the queue for work */
  readonly taskPollMs: number;
  /** a task running longer is taken for lost (its server gone) and failed */
  readonly taskExpireSeconds: number;
  /**
   * a queue job taken this long ago whose task is still queued (its server died between taking the
   * job and starting the task) or already settled (it died before telling the queue) is released
   */
  readonly taskClaimGraceSeconds: number;
  /** projects an assessment scores and serialises at a time (whole companies) before the event loop turns */
  readonly assessmentBatchProjects: number;
  /** projects' results an assessment writes at a time (a write costs round trips: several batches go in one) */
  readonly assessmentWriteProjects: number;
}

export interface ScheduleConfig {
  /** 按月通报 of the previous month */
  readonly monthlyBulletin: string;
  /** 按季调度 of the previous quarter */
  readonly quarterlyDispatch: string;
  /** the annual assessment of the previous year: assess, publish, street annual and list publication */
  readonly annualAssessment: string;
  /** closing the appeal windows that have passed */
  readonly appealWindowClosing: string;
}

export const SCHEDULE_JOBS = ['monthly-bulletin', 'quarterly-dispatch', 'annual-assessment', 'appeal-window-closing'] as const;
export type ScheduleJob = (typeof SCHEDULE_JOBS)[number];

export const SCHEDULE_KEYS: Record<ScheduleJob, keyof ScheduleConfig> = {
  'monthly-bulletin': 'monthlyBulletin',
  'quarterly-dispatch': 'quarterlyDispatch',
  'annual-assessment': 'annualAssessment',
  'appeal-window-closing': 'appealWindowClosing',
};

export const APP_CONFIG = Symbol('APP_CONFIG');

/** The variables redprop reads, all in one place. */
export interface ConfigEnvironment {
  DATABASE_URL?: string;
  REDPROP_PGLITE_DIR?: string;
  REDPROP_REPORTS_DIR?: string;
  REDPROP_APPEAL_WINDOW_DAYS?: string;
  REDPROP_RECTIFICATION_DAYS?: string;
  REDPROP_DRAFT_RETENTION_DAYS?: string;
  REDPROP_APPEAL_SECRET?: string;
  REDPROP_TIME_ZONE?: string;
  PORT?: string;
  REDPROP_CRON_MONTHLY_BULLETIN?: string;
  REDPROP_CRON_QUARTERLY_DISPATCH?: string;
  REDPROP_CRON_ANNUAL_ASSESSMENT?: string;
  REDPROP_CRON_APPEAL_WINDOW_CLOSING?: string;
  REDPROP_SCHEDULER?: string;
  REDPROP_INSTANCE?: string;
  REDPROP_LOG_FORMAT?: string;
  REDPROP_UPLOADS_PER_KEY?: string;
  REDPROP_UPLOADS_MAX?: string;
  REDPROP_TASKS_PER_KEY?: string;
  REDPROP_HEAVY_TASKS?: string;
  REDPROP_TASK_POLL_MS?: string;
  REDPROP_TASK_EXPIRE_SECONDS?: string;
  REDPROP_TASK_CLAIM_GRACE_SECONDS?: string;
  REDPROP_ASSESSMENT_BATCH_PROJECTS?: string;
  REDPROP_ASSESSMENT_WRITE_PROJECTS?: string;
  REDPROP_STRICT_RESPONSES?: string;
  HOSTNAME?: string;
}

const CRON_FIELD = /^[\d*,/\-A-Za-z]+$/;

/** Reads and checks the configuration once; every problem is reported together. */
export function loadConfig(env: ConfigEnvironment, cwd: string = process.cwd()): AppConfig {
  const problems: string[] = [];
  const text = (value: string | undefined) => (value === undefined || value.trim() === '' ? undefined : value.trim());

  let database: DatabaseConfig;
  const url = text(env.DATABASE_URL);
  if (url) {
    if (!/^postgres(ql)?:\/\//.test(url)) problems.push('DATABASE_URL must start with postgres:// or postgresql://');
    database = { kind: 'postgres', url };
  } else {
    const dir = text(env.REDPROP_PGLITE_DIR) ?? '.data/pglite';
    database = { kind: 'pglite', dataDir: dir === ':memory:' ? null : resolve(cwd, dir) };
  }

  const whole = (name: keyof ConfigEnvironment, fallback: number, min: number, max: number) => {
    const raw = text(env[name]);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
      return fallback;
    }
    return value;
  };

  const timeZone = text(env.REDPROP_TIME_ZONE) ?? 'Asia/Shanghai';
  let validTimeZone = true;
  try {
    new Intl.DateTimeFormat('en', { timeZone });
  } catch {
    validTimeZone = false;
    problems.push(`REDPROP_TIME_ZONE is not a known time zone: "${timeZone}"`);
  }

  const cron = (name: keyof ConfigEnvironment, fallback: string) => {
    const pattern = text(env[name]) ?? fallback;
    const fields = pattern.split(/\s+/);
    if (fields.length !== 5 || !fields.every((f) => CRON_FIELD.test(f))) {
      problems.push(`${name} must be a cron pattern of 5 fields (minute hour day month weekday), got "${pattern}"`);
      return pattern;
    }
    // the scheduler's own parser decides, so that a pattern passing here cannot fail the server at start
    try {
      new CronTime(pattern, validTimeZone ? timeZone : 'UTC').sendAt();
    } catch (error) {
      const reason = (error as Error).message.startsWith('Something went wrong') ? 'it never fires' : (error as Error).message;
      problems.push(`${name} is not a valid cron pattern: "${pattern}" (${reason})`);
    }
    return pattern;
  };
  const schedulerFlag = text(env.REDPROP_SCHEDULER) ?? 'on';
  if (schedulerFlag !== 'on' && schedulerFlag !== 'off') problems.push(`REDPROP_SCHEDULER must be on or off, got "${schedulerFlag}"`);
  const logFormat = text(env.REDPROP_LOG_FORMAT) ?? 'json';
  if (logFormat !== 'json' && logFormat !== 'text') problems.push(`REDPROP_LOG_FORMAT must be json or text, got "${logFormat}"`);

  const strictResponses = text(env.REDPROP_STRICT_RESPONSES) ?? 'off';
  if (strictResponses !== 'on' && strictResponses !== 'off') problems.push(`REDPROP_STRICT_RESPONSES must be on or off, got "${strictResponses}"`);

  const config: AppConfig = {
    database,
    reportsDir: resolve(cwd, text(env.REDPROP_REPORTS_DIR) ?? 'reports'),
    appealWindowDays: whole('REDPROP_APPEAL_WINDOW_DAYS', 15, 1, 365),
    rectificationDays: whole('REDPROP_RECTIFICATION_DAYS', 30, 1, 365),
    draftRetentionDays: whole('REDPROP_DRAFT_RETENTION_DAYS', 30, 1, 3650),
    appealSecret: text(env.REDPROP_APPEAL_SECRET) ?? null,
    timeZone,
    httpPort: whole('PORT', 3000, 1, 65535),
    schedules: {
      monthlyBulletin: cron('REDPROP_CRON_MONTHLY_BULLETIN', '0 9 5 * *'),
      quarterlyDispatch: cron('REDPROP_CRON_QUARTERLY_DISPATCH', '0 9 10 1,4,7,10 *'),
      annualAssessment: cron('REDPROP_CRON_ANNUAL_ASSESSMENT', '0 9 20 1 *'),
      appealWindowClosing: cron('REDPROP_CRON_APPEAL_WINDOW_CLOSING', '0 1 * * *'),
    },
    schedulerEnabled: schedulerFlag === 'on',
    instanceName: text(env.REDPROP_INSTANCE) ?? `${text(env.HOSTNAME) ?? 'redprop'}-${process.pid}`,
    logFormat: logFormat as 'json' | 'text',
    limits: {
      uploadsPerKey: whole('REDPROP_UPLOADS_PER_KEY', 2, 1, 100),
      uploads: whole('REDPROP_UPLOADS_MAX', 4, 1, 1000),
      tasksPerKey: whole('REDPROP_TASKS_PER_KEY', 4, 1, 1000),
      heavyTasks: whole('REDPROP_HEAVY_TASKS', 1, 1, 64),
      taskPollMs: whole('REDPROP_TASK_POLL_MS', 1000, 500, 60_000),
      taskExpireSeconds: whole('REDPROP_TASK_EXPIRE_SECONDS', 3600, 60, 7 * 24 * 3600),
      taskClaimGraceSeconds: whole('REDPROP_TASK_CLAIM_GRACE_SECONDS', 30, 1, 3600),
      assessmentBatchProjects: whole('REDPROP_ASSESSMENT_BATCH_PROJECTS', 100, 1, 100_000),
      assessmentWriteProjects: whole('REDPROP_ASSESSMENT_WRITE_PROJECTS', 1000, 1, 100_000),
    },
    strictResponses: strictResponses === 'on',
  };
  if (config.appealSecret !== null && config.appealSecret.length < 16) problems.push('REDPROP_APPEAL_SECRET must be at least 16 characters');
  if (problems.length > 0) {
    throw new DomainError('CONFIG_INVALID', 'invalid configuration', '配置有误', problems);
  }
  return config;
}
