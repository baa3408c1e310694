import { resolve } from 'node:path';
import { DomainError } from '../domain/errors.js';

export type DatabaseConfig =
  | { readonly kind: 'pglite'; /** null: in memory */ readonly dataDir: string | null }
  | { readonly kind: 'postgres'; readonly url: string };

export interface AppConfig {
  readonly database: DatabaseConfig;
  readonly reportsDir: string;
  /** used when the run's rule set does not set its own appeal deadlines */
  readonly appealWindowDays: number;
  readonly rectificationDays: number;
  /** HMAC key of the appeal sheets; null: one is generated and kept in the database */
  readonly appealSecret: string | null;
  readonly timeZone: string;
  readonly httpPort: number;
}

export const APP_CONFIG = Symbol('APP_CONFIG');

/** The variables redprop reads, all in one place. */
export interface ConfigEnvironment {
  DATABASE_URL?: string;
  REDPROP_PGLITE_DIR?: string;
  REDPROP_REPORTS_DIR?: string;
  REDPROP_APPEAL_WINDOW_DAYS?: string;
  REDPROP_RECTIFICATION_DAYS?: string;
  REDPROP_APPEAL_SECRET?: string;
  REDPROP_TIME_ZONE?: string;
  PORT?: string;
}

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
  try {
    new Intl.DateTimeFormat('en', { timeZone });
  } catch {
    problems.push(`REDPROP_TIME_ZONE is not a known time zone: "${timeZone}"`);
  }

  const config: AppConfig = {
    database,
    reportsDir: resolve(cwd, text(env.REDPROP_REPORTS_DIR) ?? 'reports'),
    appealWindowDays: whole('REDPROP_APPEAL_WINDOW_DAYS', 15, 1, 365),
    rectificationDays: whole('REDPROP_RECTIFICATION_DAYS', 30, 1, 365),
    appealSecret: text(env.REDPROP_APPEAL_SECRET) ?? null,
    timeZone,
    httpPort: whole('PORT', 3000, 1, 65535),
  };
  if (config.appealSecret !== null && config.appealSecret.length < 16) problems.push('REDPROP_APPEAL_SECRET must be at least 16 characters');
  if (problems.length > 0) {
    throw new DomainError('CONFIG_INVALID', 'bad_input', 'invalid configuration', '配置有误', problems);
  }
  return config;
}
