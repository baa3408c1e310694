import type { AccessScope, Principal } from '../domain/access.js';

export const TASK_KINDS = ['assessment', 'report', 'what-if', 'scheduled-job'] as const;
export type TaskKind = (typeof TASK_KINDS)[number];

/** What each kind of task is asked with. */
export interface TaskRequests {
  assessment: { period: string; streetCode: string | null; publish: boolean };
  report: { kind: string; period: string; streetCode: string | null; companyUscc: string | null };
  'what-if': { period: string; streetCode: string | null; compareRunId: number; ruleSetFiles: Record<string, string> };
  'scheduled-job': { job: string; period: string; force?: boolean; trigger?: 'manual' | 'schedule' | 'catch-up' };
}

export type TaskRequest = { [K in TaskKind]: { kind: K; request: TaskRequests[K] } }[TaskKind];

/** A task as its work sees it: what the task shows, what only the work reads, whose scope it runs in. */
export interface TaskWork {
  readonly id: number;
  readonly params: Record<string, unknown>;
  readonly input: Record<string, unknown> | null;
  /** where the work may reach: the asking key's scope (everything for the CLI and the scheduler) */
  readonly scope: AccessScope;
  /** a line of progress (Chinese), kept with the task */
  progress(text: string): void;
}

/**
 * One kind of task: its check before it is queued and its work. The request is checked while the
 * caller waits (a coded refusal answers the request); what is queued must be plain JSON, since
 * the work may run after a restart or in another process.
 */
export interface TaskHandler<K extends TaskKind = TaskKind> {
  readonly kind: K;
  accept(request: TaskRequests[K], principal: Principal): Promise<{ params: Record<string, unknown>; input?: Record<string, unknown> }>;
  run(task: TaskWork): Promise<Record<string, unknown>>;
}

export const TASK_HANDLERS = Symbol('TASK_HANDLERS');
