import { jest } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createHttpApp } from '../src/api/http-app.js';
import { AssessmentRepository } from '../src/assessment/assessment.repository.js';
import { AssessmentService } from '../src/assessment/assessment.service.js';
import { SeedService } from '../src/seeding/seed.service.js';
import { testConfig } from './support/app.js';
import { describeEachBackend } from './support/backends.js';

describeEachBackend('the service while an assessment runs', ({ database, backend }) => {
  let app: INestApplication;

  beforeAll(async () => {
    const config = testConfig();
    app = await createHttpApp(
      { config: { ...config, limits: { ...config.limits, assessmentBatchProjects: 3, assessmentWriteProjects: 3 } }, database: database() },
      false,
    );
    await app.init();
    await app.get(SeedService).seed({ scale: 'demo', seed: 1, replace: true });
  });
  afterAll(() => app.close());

  /** Runs an assessment with `duringBatch` called before each batch is written; gives the number of batches. */
  async function assessWatchingBatches(duringBatch: (batch: number) => Promise<void> | void): Promise<number> {
    const repository = app.get(AssessmentRepository);
    const insertResults = repository.insertResults.bind(repository);
    let batches = 0;
    const spy = jest.spyOn(repository, 'insertResults').mockImplementation(async (...args) => {
      await duringBatch(++batches);
      return insertResults(...args);
    });
    try {
      await app.get(AssessmentService).run({ period: '2025', streetCode: null, publish: false });
    } finally {
      spy.mockRestore();
    }
    return batches;
  }

  it('lets the event loop turn between batches, so no batch holds it longer than its own scoring', async () => {
    let turns = 0;
    let probing = true;
    const probe = () => {
      turns++;
      if (probing) setImmediate(probe);
    };
    setImmediate(probe);
    const turnsAtBatch: number[] = [];
    let batches: number;
    try {
      batches = await assessWatchingBatches(() => void turnsAtBatch.push(turns));
    } finally {
      probing = false;
    }
    expect(batches).toBeGreaterThan(5);
    for (let i = 1; i < turnsAtBatch.length; i++) expect(turnsAtBatch[i]).toBeGreaterThan(turnsAtBatch[i - 1]);
  });

  // On PGlite one statement runs at a time, so its database check waits for the run's transaction:
  // embedded PGlite serves one person's machine. A server with PostgreSQL answers from another connection.
  (backend.name === 'postgres' ? it : it.skip)('answers /health in the middle of a run', async () => {
    const answers: number[] = [];
    await assessWatchingBatches(async (batch) => {
      if (batch !== 2) return;
      const response = await request(app.getHttpServer()).get('/health').expect(200);
      expect(response.body).toEqual({ status: 'ok', database: 'postgres' });
      answers.push(batch);
    });
    expect(answers).toEqual([2]);
  });
});
