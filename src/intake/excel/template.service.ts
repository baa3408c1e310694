import { mkdir } from 'node:fs/promises';
import { dirname, extname, join, resolve } from 'node:path';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { FAMILIES, FAMILY_NAMES, isFamilyName, type CodeListName, type FamilyName } from './families.js';
import { importErrors } from './import-errors.js';
import { ImportReferencesRepository } from './import-references.repository.js';
import { IMPORT_LIMITS } from './spreadsheet-import.service.js';
import { DEFAULT_IMPORT_LIMITS, type ImportLimits } from './spreadsheet-file.js';
import { writeTemplateWorkbook } from './template-workbook.js';

export interface TemplateOutcome {
  readonly family: FamilyName;
  readonly path: string;
  readonly sheets: readonly string[];
  /** stored codes offered as drop-downs */
  readonly codeLists: Readonly<Record<CodeListName, number>>;
}

/** Writes the import template of a family, with the stored codes as drop-downs. */
@Injectable()
export class TemplateService {
  private readonly limits: ImportLimits;

  constructor(
    private readonly references: ImportReferencesRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() @Inject(IMPORT_LIMITS) limits?: ImportLimits,
  ) {
    this.limits = limits ?? DEFAULT_IMPORT_LIMITS;
  }

  /** `out` defaults to `<reportsDir>/templates/<family>.xlsx`. */
  async writeTemplate(family: string, out?: string): Promise<TemplateOutcome> {
    if (!isFamilyName(family)) throw importErrors.familyInvalid(family, FAMILY_NAMES);
    const path = resolve(out ?? join(this.config.reportsDir, 'templates', `${family}.xlsx`));
    if (extname(path).toLowerCase() !== '.xlsx') throw importErrors.templateOut(path);
    const codeLists = await this.references.codeLists();
    await mkdir(dirname(path), { recursive: true });
    const spec = FAMILIES[family];
    await writeTemplateWorkbook(path, { family: spec, codeLists, timeZone: this.config.timeZone, limits: this.limits });
    return {
      family,
      path,
      sheets: spec.sheets.map((s) => s.sheet),
      codeLists: {
        streets: codeLists.streets.length,
        communities: codeLists.communities.length,
        companies: codeLists.companies.length,
        projects: codeLists.projects.length,
      },
    };
  }
}
