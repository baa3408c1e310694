import { Inject, Injectable } from '@nestjs/common';
import { join } from 'node:path';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { writeSheets } from '../reports/write-sheets.js';
import { describeRuleSet } from './rule-set.describe.js';
import { DEFAULT_RULES_DIR, loadRuleSet, readRuleSetDirectory } from './rule-set.loader.js';

/** Rule sets as documents. */
@Injectable()
export class RulesService {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** Writes a rule set's 考核细则 workbook; returns its path. */
  async describe(directory: string = DEFAULT_RULES_DIR, out?: string): Promise<string> {
    const ruleSet = loadRuleSet(readRuleSetDirectory(directory));
    const path = out ?? join(this.config.reportsDir, 'rules', `考核细则-${ruleSet.manifest.name}-${ruleSet.manifest.version}.xlsx`);
    return writeSheets(path, describeRuleSet(ruleSet));
  }
}
