import { spawn } from 'node:child_process';
import { BENCH_STAGES, type BenchMeasurement, type BenchStage } from './bench.service.js';

/** The line a measuring process prints its result on, for the process that started it. */
export const BENCH_RESULT_PREFIX = 'BENCH_RESULT ';

/**
 * Runs each stage `rounds` times, each in a new process of this same command (`--stage <stage>`),
 * so every peak RSS is that measurement's own; yields the measurements in order.
 */
export async function* measureInChildProcesses(rounds: number): AsyncGenerator<{ round: number; measurement: BenchMeasurement }> {
  const [script, ...args] = process.argv.slice(1);
  for (let round = 1; round <= rounds; round++) {
    for (const stage of BENCH_STAGES) yield { round, measurement: await measureInChild(script, args, stage) };
  }
}

function measureInChild(script: string, args: readonly string[], stage: BenchStage): Promise<BenchMeasurement> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, script, ...args, '--stage', stage], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const line = output.split('\n').find((l) => l.startsWith(BENCH_RESULT_PREFIX));
      if (code !== 0 || !line) reject(new Error(`bench stage ${stage} exited with ${code}${output ? `:\n${output}` : ''}`));
      else resolve(JSON.parse(line.slice(BENCH_RESULT_PREFIX.length)) as BenchMeasurement);
    });
  });
}
