import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import pLimit, { type LimitFunction } from 'p-limit';
import { EVERYTHING, type AccessScope } from '../domain/access.js';
import { outOfScope } from '../access/access.service.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { CLOCK, type Clock } from '../domain/clock.js';
import { DomainError, TooManyRequestsError } from '../domain/errors.js';
import { TasksRepository, type TaskRow } from './tasks.repository.js';

export type TaskWork = (progress: (text: string) => void, taskId: number) => Promise<Record<string, unknown>>;

/**
 * Long operations asked for over HTTP (an assessment, a province report) run here in the
 * background; the request gets the task's id at once and polls GET /jobs/:id. A task either
 * finishes with its result or fails with a coded error; a restart of the same instance (REDPROP_INSTANCE) fails what it left.
 */
@Injectable()
export class TasksService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(TasksService.name);
  private readonly running = new Set<Promise<void>>();
  /** tasks queued or running per key (0: the CLI and the scheduler, not counted) */
  private readonly perKey = new Map<number, number>();
  /** heavy work at once in this process: the other tasks wait queued */
  private readonly slots: LimitFunction;

  constructor(
    private readonly repository: TasksRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.slots = pLimit(config.limits.heavyTasks);
  }

  async onApplicationBootstrap(): Promise<void> {
    const interrupted = await this.repository.markInterrupted(this.config.instanceName, this.clock.now());
    if (interrupted > 0) this.logger.warn(`${interrupted} task(s) left by a stopped server marked failed`);
  }

  /** Waits for the tasks in flight (graceful shutdown). */
  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([...this.running]);
  }

  /** Queues the work and answers at once with the task; `by` is who asked (only they and the bureau may read it). */
  async start(kind: string, params: Record<string, unknown>, by: { keyId: number; name: string }, work: TaskWork): Promise<TaskRow> {
    // the key's slot is taken before anything is awaited: simultaneous requests cannot all pass the check
    const mine = this.perKey.get(by.keyId) ?? 0;
    if (by.keyId !== 0 && mine >= this.config.limits.tasksPerKey) {
      throw new TooManyRequestsError(
        'TOO_MANY_TASKS',
        `${mine} task(s) of this key are queued or running`,
        `本密钥已有 ${mine} 个任务在排队或运行，请等其完成后再提交`,
        30,
      );
    }
    this.perKey.set(by.keyId, mine + 1);
    const release = () => {
      const left = (this.perKey.get(by.keyId) ?? 1) - 1;
      if (left > 0) this.perKey.set(by.keyId, left);
      else this.perKey.delete(by.keyId);
    };
    let row: TaskRow;
    try {
      row = await this.repository.insert({
        kind,
        params: { ...params, keyId: by.keyId, instance: this.config.instanceName },
        requestedBy: by.name,
        createdAt: this.clock.now(),
      });
    } catch (error) {
      release();
      throw error;
    }
    // started on the next turn (on a single-connection database the answer must not wait behind
    // the work), and only when a heavy slot is free
    const task = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.slots(() => this.execute(row.id, kind, work)))
      .finally(() => {
        this.running.delete(task);
        release();
      });
    this.running.add(task);
    return row;
  }

  private async execute(id: number, kind: string, work: TaskWork): Promise<void> {
    await this.repository.update(id, { status: 'running', startedAt: this.clock.now(), progress: '开始' });
    let last = Promise.resolve();
    const progress = (text: string) => {
      last = last.then(() => this.repository.update(id, { progress: text })).catch(() => undefined);
    };
    try {
      const result = await work(progress, id);
      await last;
      await this.repository.update(id, { status: 'succeeded', finishedAt: this.clock.now(), progress: '完成', result });
      this.logger.log(`task ${id} (${kind}) succeeded`);
    } catch (error) {
      await last;
      const coded =
        error instanceof DomainError
          ? { code: error.code, message: error.message, messageZh: error.messageZh, details: [...error.details] }
          : { code: 'INTERNAL_ERROR', message: error instanceof Error ? error.message : String(error), messageZh: '内部错误', details: [] };
      await this.repository.update(id, { status: 'failed', finishedAt: this.clock.now(), error: coded });
      this.logger.error(`task ${id} (${kind}) failed: ${coded.code} ${coded.message}`);
    }
  }

  /** A task as a principal may read it: the bureau any, others those they asked for (by key, not by name). */
  async get(id: number, reader: { keyId: number; scope: AccessScope }): Promise<TaskRow> {
    const task = await this.repository.find(id, reader.scope.kind === 'all' ? undefined : reader.keyId);
    if (task) return task;
    if (await this.repository.find(id)) throw outOfScope(reader.scope, `task ${id}`, `任务 #${id} `);
    throw new DomainError('TASK_NOT_FOUND', 'not_found', `task ${id} not found`, `任务 #${id} 不存在`);
  }

  /** The file a finished report task wrote. */
  async file(id: number, reader: { keyId: number; scope: AccessScope }): Promise<string> {
    const task = await this.get(id, reader);
    const path = task.result?.path;
    if (task.status !== 'succeeded' || typeof path !== 'string')
      throw new DomainError(
        'TASK_HAS_NO_FILE',
        'conflict',
        `task ${id} has no file (status ${task.status})`,
        `任务 #${id} 没有可下载的文件（状态：${task.status}）`,
      );
    return path;
  }

  /** Waits until the tasks in flight have finished, then gives this one (tests). */
  async settled(id: number): Promise<TaskRow> {
    await Promise.allSettled([...this.running]);
    return this.get(id, { keyId: 0, scope: EVERYTHING });
  }
}
