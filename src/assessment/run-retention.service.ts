import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { CLOCK, type Clock } from '../domain/clock.js';
import { RunRetentionRepository, type DraftRun } from './run-retention.repository.js';

export interface PruneRequest {
  /** default: REDPROP_DRAFT_RETENTION_DAYS */
  olderThanDays?: number;
  dryRun: boolean;
}

export interface PrunedDraft extends DraftRun {
  projectResults: number;
  companyResults: number;
}

export interface KeptDraft extends DraftRun {
  /** what still refers to it: `table (rows)` */
  referencedBy: string[];
}

export interface DraftPruning {
  olderThanDays: number;
  /** drafts created before this instant were considered */
  cutoff: Date;
  dryRun: boolean;
  /** removed, or on a dry run those that would be */
  removed: PrunedDraft[];
  kept: KeptDraft[];
}

const DAY_MS = 24 * 3600 * 1000;

/** Retention of draft runs: published and superseded runs are the record and are never removed. */
@Injectable()
export class RunRetentionService {
  private readonly logger = new Logger(RunRetentionService.name);

  constructor(
    private readonly repository: RunRetentionRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Removes, in one transaction, the drafts older than the retention with their results, but not a draft anything still refers to. */
  async pruneDrafts(request: PruneRequest): Promise<DraftPruning> {
    const olderThanDays = request.olderThanDays ?? this.config.draftRetentionDays;
    const cutoff = new Date(this.clock.now().getTime() - olderThanDays * DAY_MS);
    const outcome = await this.repository.transaction(async (unit) => {
      const drafts = await this.repository.draftsCreatedBefore(unit, cutoff, !request.dryRun);
      const references = await this.repository.referencesTo(
        unit,
        drafts.map((d) => d.id),
      );
      const removable = drafts.filter((d) => !references.has(d.id));
      const counts = await this.repository.resultCounts(
        unit,
        removable.map((d) => d.id),
      );
      if (!request.dryRun) {
        await this.repository.deleteRuns(
          unit,
          removable.map((d) => d.id),
        );
      }
      return {
        removed: removable.map((d) => ({ ...d, projectResults: counts.get(d.id)!.projects, companyResults: counts.get(d.id)!.companies })),
        kept: drafts.filter((d) => references.has(d.id)).map((d) => ({ ...d, referencedBy: references.get(d.id)! })),
      };
    });
    if (!request.dryRun && outcome.removed.length > 0) {
      this.logger.log(`pruned ${outcome.removed.length} draft runs created before ${cutoff.toISOString()}: ${outcome.removed.map((d) => d.id).join(', ')}`);
    }
    return { olderThanDays, cutoff, dryRun: request.dryRun, ...outcome };
  }
}
