import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { outOfScope } from '../access/access.service.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { DATABASE, type Database } from '../db/database.js';
import { EVERYTHING, type AccessScope, type Principal } from '../domain/access.js';
import { CLOCK, type Clock } from '../domain/clock.js';
import { DomainError, TooManyRequestsError } from '../domain/errors.js';
import { TASK_HANDLERS, type TaskHandler, type TaskKind, type TaskRequest } from './task-handler.js';
import { TaskQueue, type QueuedJob } from './task-queue.js';
import { TasksRepository, type TaskError, type TaskRow } from './tasks.repository.js';

/** A task as callers see it (what only the work reads, the key and the queue's ids stay inside). */
export type TaskView = Omit<TaskRow, 'input' | 'keyId' | 'instance' | 'queueJobId'> & { kind: TaskKind };

const INTERRUPTED: TaskError = {
  code: 'TASK_INTERRUPTED',
  message: 'the server stopped before the task finished',
  messageZh: '服务在任务完成前停止，任务未完成（未发布任何结果），请重新提交',
  details: [],
};

const SETTLE_POLL_MS = 100;

export function viewOf(row: TaskRow): TaskView {
  const { input: _input, keyId: _keyId, instance: _instance, queueJobId: _job, ...view } = row;
  return view as TaskView;
}

/**
 * Long operations (assessments, reports, what-if runs, the work of scheduled jobs) as tasks on a
 * durable queue in the database (pg-boss): a request gets its task at once and polls GET /tasks/:id.
 * A task is checked before it is queued, survives a restart while it waits, runs within the
 * configured number of tasks at once, and ends with its result or a coded error; a key may have
 * only so many tasks queued or running. A restart of the same instance (REDPROP_INSTANCE) fails
 * what it left running (its results are never half-published: every task's writes are one transaction).
 */
@Injectable()
export class TasksService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(TasksService.name);
  private readonly queue: TaskQueue;
  private readonly handlers: Map<TaskKind, TaskHandler>;
  /** the tasks this process is running now, and the most it ran at once (the bench and the tests read it) */
  private runningHere = 0;
  mostAtOnce = 0;
  private strandedSweep: NodeJS.Timeout | null = null;
  private sweeping: Promise<void> = Promise.resolve();

  constructor(
    private readonly repository: TasksRepository,
    @Inject(DATABASE) database: Database,
    @Inject(TASK_HANDLERS) handlers: TaskHandler[],
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.handlers = new Map(handlers.map((h) => [h.kind, h]));
    this.queue = new TaskQueue(
      database,
      { concurrency: config.limits.heavyTasks, pollSeconds: config.limits.taskPollMs / 1000, expireSeconds: config.limits.taskExpireSeconds },
      (error) => this.logger.error(`task queue: ${error.message}`),
    );
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.start();
    const interrupted = await this.repository.failInterrupted(this.config.instanceName, this.clock.now(), INTERRUPTED);
    for (const task of interrupted) if (task.queueJobId) await this.queue.fail(task.queueJobId, { ...INTERRUPTED });
    if (interrupted.length > 0) this.logger.warn(`${interrupted.length} task(s) left running by a stopped server marked failed`);
    for (const id of await this.repository.unqueued()) await this.enqueue(id);
    await this.releaseStrandedJobs();
    const every = Math.max(1000, (this.config.limits.taskClaimGraceSeconds * 1000) / 2);
    this.strandedSweep = setInterval(() => {
      this.sweeping = this.sweeping.then(() => this.releaseStrandedJobs()).catch((error: unknown) => this.logger.error(`task queue sweep: ${String(error)}`));
    }, every);
    this.strandedSweep.unref();
    await this.queue.work((job) => this.execute(job));
  }

  /** Stops taking tasks and waits for those in hand (graceful shutdown); queued tasks stay queued. */
  async onApplicationShutdown(): Promise<void> {
    if (this.strandedSweep) clearInterval(this.strandedSweep);
    await this.sweeping;
    await this.queue.stop();
  }

  /**
   * A server killed after the queue handed it a job but before it marked the task running leaves
   * the job active and the task queued; killed after the task ended but before the queue heard,
   * it leaves the job active too. Either way the job would hold the one-at-a-time queue until it
   * expires (an hour by default): it is released, and a task that never started is queued again.
   */
  async releaseStrandedJobs(): Promise<void> {
    for (const job of await this.repository.strandedJobs(this.config.limits.taskClaimGraceSeconds)) {
      if (job.taskStatus === 'queued') {
        await this.queue.fail(job.jobId, { ...INTERRUPTED });
        if (job.current && job.taskId !== null) await this.enqueue(job.taskId);
        this.logger.warn(`task ${job.taskId}: its queue job was taken by a server that stopped before starting it; queued again`);
      } else {
        await this.queue.complete(job.jobId);
        this.logger.warn(`task ${job.taskId ?? '?'}: its queue job was left open by a server that stopped; released`);
      }
    }
  }

  /** Checks the request, then queues it; `principal` is who asks (only they and the bureau may read the task). */
  async submit(task: TaskRequest, principal: Principal): Promise<TaskView> {
    const handler = this.handler(task.kind);
    const accepted = await handler.accept(task.request, principal);
    const keyId = principal.keyId === 0 ? null : principal.keyId;
    const inserted = await this.repository.insertWithinLimit(
      {
        kind: task.kind,
        params: accepted.params,
        input: { ...accepted.input, scope: principal.scope },
        keyId,
        requestedBy: principal.name,
        createdAt: this.clock.now(),
      },
      keyId === null ? null : this.config.limits.tasksPerKey,
    );
    if ('refused' in inserted) {
      throw new TooManyRequestsError(
        'TOO_MANY_TASKS',
        `${inserted.refused} task(s) of this key are queued or running`,
        `本密钥已有 ${inserted.refused} 个任务在排队或运行，请等其完成后再提交`,
        30,
      );
    }
    await this.enqueue(inserted.task.id);
    return viewOf(inserted.task);
  }

  private async enqueue(taskId: number): Promise<void> {
    const jobId = await this.queue.send(taskId);
    if (jobId) await this.repository.update(taskId, { queueJobId: jobId });
  }

  private handler(kind: string): TaskHandler {
    const handler = this.handlers.get(kind as TaskKind);
    if (!handler) throw new DomainError('TASK_KIND_UNKNOWN', `no task kind ${kind}`, `未知的任务类型 ${kind}`);
    return handler;
  }

  private async execute(job: QueuedJob): Promise<void> {
    const id = job.data.taskId;
    const task = await this.repository.find(id);
    if (!task) return;
    if (task.queueJobId !== job.id) await this.repository.update(id, { queueJobId: job.id });
    if (!(await this.repository.markRunning(id, this.config.instanceName, this.clock.now()))) return;
    this.logger.log(`task ${id} (${task.kind}) started`);
    this.runningHere++;
    this.mostAtOnce = Math.max(this.mostAtOnce, this.runningHere);
    let last = Promise.resolve();
    const progress = (text: string) => {
      last = last.then(() => this.repository.update(id, { progress: text })).catch(() => undefined);
    };
    try {
      const { scope, ...input } = (task.input ?? {}) as { scope?: AccessScope } & Record<string, unknown>;
      const result = await this.handler(task.kind).run({ id, params: task.params, input, scope: scope ?? EVERYTHING, progress });
      await last;
      await this.repository.finish(id, this.clock.now(), { result });
      this.logger.log(`task ${id} (${task.kind}) succeeded`);
    } catch (error) {
      await last;
      const coded: TaskError =
        error instanceof DomainError
          ? { code: error.code, message: error.message, messageZh: error.messageZh, details: [...error.details] }
          : { code: 'INTERNAL_ERROR', message: error instanceof Error ? error.message : String(error), messageZh: '内部错误', details: [] };
      await this.repository.finish(id, this.clock.now(), { error: coded });
      this.logger.error(`task ${id} (${task.kind}) failed: ${coded.code} ${coded.message}`);
    } finally {
      this.runningHere--;
    }
  }

  /** A task as a principal may read it: the bureau any, others those they asked for (by key, not by name). */
  async get(id: number, reader: { keyId: number; scope: AccessScope }): Promise<TaskView> {
    const task = await this.repository.find(id, reader.scope.kind === 'all' ? undefined : reader.keyId);
    if (task) return viewOf(task);
    if (await this.repository.find(id)) throw outOfScope(reader.scope, `task ${id}`, `任务 #${id} `);
    throw new DomainError('TASK_NOT_FOUND', `task ${id} not found`, `任务 #${id} 不存在`);
  }

  /** The file a finished task wrote. */
  async file(id: number, reader: { keyId: number; scope: AccessScope }): Promise<string> {
    const task = await this.get(id, reader);
    const path = task.result?.path;
    if (task.status !== 'succeeded' || typeof path !== 'string')
      throw new DomainError('TASK_HAS_NO_FILE', `task ${id} has no file (status ${task.status})`, `任务 #${id} 没有可下载的文件（状态：${task.status}）`);
    return path;
  }

  /** Waits until a task has succeeded or failed, whichever process runs it. */
  async settled(id: number): Promise<TaskView> {
    for (;;) {
      const task = await this.get(id, { keyId: 0, scope: EVERYTHING });
      if (task.status === 'succeeded' || task.status === 'failed') return task;
      await new Promise((resolve) => setTimeout(resolve, SETTLE_POLL_MS));
    }
  }
}
