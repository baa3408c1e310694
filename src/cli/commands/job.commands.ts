import type { Command } from 'commander';
import { SCHEDULE_JOBS } from '../../config/app-config.js';
import type { FiringRow } from '../../schedule/firings.repository.js';
import { JOB_LABELS, isScheduleJob } from '../../schedule/schedule-plan.js';
import { ScheduledJobsService } from '../../schedule/scheduled-jobs.service.js';
import { runInApp } from '../cli-context.js';
import { globalOptions } from '../cli-options.js';

const STATUS_ZH: Record<FiringRow['status'], string> = { running: '运行中', succeeded: '成功', failed: '失败' };

/** job:run, job:list — the scheduled jobs by hand (issue 6, item 5); no cron is registered. */
export function registerJobCommands(program: Command): void {
  program
    .command('job:run')
    .description(
      `run a scheduled job for one period now, recorded like a scheduled firing; jobs: ${SCHEDULE_JOBS.map((j) => `${j} (${JOB_LABELS[j]})`).join(', ')}`,
    )
    .argument('<job>', SCHEDULE_JOBS.join(' | '))
    .requiredOption('--period <period>', 'monthly-bulletin: 2025-07; quarterly-dispatch: 2025-Q3; annual-assessment: 2025; appeal-window-closing: 2025-08-06')
    .option('--force', 'run again a period that already succeeded (the record counts one more attempt)')
    .action((job: string, options: { period: string; force?: boolean }) =>
      runInApp(globalOptions(program), async (app) => {
        const result = await app.get(ScheduledJobsService).runManually(job, options.period, options.force ?? false);
        console.log(formatFiring(result.firing));
      }),
    );

  program
    .command('job:list')
    .description('the recorded firings of the scheduled jobs, newest first')
    .option('--job <job>', SCHEDULE_JOBS.join(' | '))
    .action((options: { job?: string }) =>
      runInApp(globalOptions(program), async (app) => {
        const firings = await app.get(ScheduledJobsService).list(options.job);
        if (firings.length === 0) console.log('尚无定时任务记录');
        for (const firing of firings) console.log(formatFiring(firing));
      }),
    );
}

function formatFiring(f: FiringRow): string {
  const label = isScheduleJob(f.job) ? JOB_LABELS[f.job] : f.job;
  const lines = [
    `#${f.id}  ${f.job}（${label}）  ${f.period}  ${STATUS_ZH[f.status]}  第 ${f.attempts} 次  ${f.trigger}  ${f.instance}`,
    `  开始 ${f.startedAt.toISOString()}  结束 ${f.finishedAt ? f.finishedAt.toISOString() : '—'}`,
  ];
  for (const file of f.outputFiles) lines.push(`  文件 ${file}`);
  if (f.error) lines.push(...f.error.split('\n').map((line, i) => `  ${i === 0 ? '错误 ' : '     '}${line}`));
  return lines.join('\n');
}
