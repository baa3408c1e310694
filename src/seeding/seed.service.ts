import { Injectable } from '@nestjs/common';
import { generateDataset, type PlantedCases, type SeedScale } from '../../seeds/generator/index.js';
import { DatabaseAdminService } from '../db/database-admin.service.js';
import { DomainError } from '../domain/errors.js';
import { IntakeService, type LoadCounts } from '../intake/intake.service.js';
import type { RecordKind, Sourced } from '../intake/records.js';

export const SEED_SCALES: readonly SeedScale[] = ['demo', 'city', 'province'];

export interface SeedRequest {
  scale: SeedScale;
  seed: number;
  /** allow replacing data that is already stored */
  replace: boolean;
  onProgress?: (kind: RecordKind, count: number) => void;
}

export interface SeedOutcome {
  counts: LoadCounts;
  planted: PlantedCases;
  seconds: number;
}

@Injectable()
export class SeedService {
  constructor(
    private readonly intake: IntakeService,
    private readonly admin: DatabaseAdminService,
  ) {}

  async seed(request: SeedRequest): Promise<SeedOutcome> {
    if (!SEED_SCALES.includes(request.scale)) {
      throw new DomainError('SEED_SCALE_UNKNOWN', `unknown scale "${request.scale}"`, `未知的数据规模“${request.scale}”，可选 ${SEED_SCALES.join('、')}`);
    }
    if (!Number.isSafeInteger(request.seed) || request.seed < 0) {
      throw new DomainError('SEED_INVALID', `seed must be a whole number >= 0, got ${request.seed}`, `随机种子须为非负整数，实际为 ${request.seed}`);
    }
    if (!request.replace && (await this.admin.hasData())) {
      throw new DomainError(
        'SEED_WOULD_REPLACE_DATA',
        'the database already holds data; pass --replace to clear it and seed anew',
        '数据库中已有数据；如确需清空后重新生成示例数据，请加 --replace',
      );
    }
    const started = performance.now();
    const data = generateDataset({ scale: request.scale, seed: request.seed });
    const counts = await this.intake.load(
      {
        streets: data.streets.map((record) => ({ record })),
        communities: data.communities.map((record) => ({ record })),
        companies: data.companies.map((record) => ({ record })),
        projects: data.projects.map((record) => ({ record })),
        surveyAnswers: sourced(data.surveyAnswers()),
        complaints: sourced(data.complaints()),
        fees: sourced(data.fees()),
        partyChecks: sourced(data.partyChecks()),
        events: sourced(data.events()),
        ratings: sourced(data.ratings()),
      },
      { mode: 'replace', onProgress: request.onProgress },
    );
    return { counts, planted: data.planted, seconds: (performance.now() - started) / 1000 };
  }
}

function* sourced<T>(records: Iterable<T>): Iterable<Sourced<T>> {
  for (const record of records) yield { record };
}
