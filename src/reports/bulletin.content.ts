/**
 * 按月通报 / 按季调度: a month's or quarter's complaints and fee collection per project and per
 * company, ranked, with the best and worst marked, and the list movements of the period. Pure.
 */
import type { ProjectMetrics } from '../assessment/metrics.js';
import { monthCount, type Period } from '../domain/period.js';
import { compareText, extremes, rankBy, type Extreme } from './ranking.js';
import type { ListEntryRow } from './report-data.js';
import { LIST_LABELS, SEVERITY_LABELS, TRANSITION_LABELS, periodLabel, shareOf } from './report-text.js';
import { SUMMARY_COLUMNS, itemRow, sectionRow, textRow, type CellValue, type ColumnSpec, type SheetRow, type SheetSpec } from './sheet-model.js';

/** Counts of one project, or summed over several. */
export interface Counts {
  households: number;
  tickets: number;
  respondedInTime: number;
  resolved: number;
  revisited: number;
  revisitSatisfied: number;
  feeMonths: number;
  householdsBilled: number;
  householdsPaid: number;
  billedAmount: number;
  collectedAmount: number;
}

/** The rates of the bulletin, each one division of exact counts (the assessment's definitions). */
export interface Rates {
  /** tickets ÷ households × 100 × 12 ÷ months */
  complaintsPer100HouseholdsYear: number | null;
  responseInTimeRate: number | null;
  resolutionRate: number | null;
  revisitSatisfactionRate: number | null;
  /** households paid ÷ households billed */
  feeCollectionRateByHousehold: number | null;
  feeCollectionRateByAmount: number | null;
}

const ratio = (n: number, d: number) => (d > 0 ? n / d : null);

export function ratesOf(c: Counts, months: number): Rates {
  return {
    complaintsPer100HouseholdsYear: ratio(c.tickets * 1200, c.households * months),
    responseInTimeRate: ratio(c.respondedInTime, c.tickets),
    resolutionRate: ratio(c.resolved, c.tickets),
    revisitSatisfactionRate: ratio(c.revisitSatisfied, c.revisited),
    feeCollectionRateByHousehold: ratio(c.householdsPaid, c.householdsBilled),
    // amounts in fen: exact integers
    feeCollectionRateByAmount: ratio(Math.round(c.collectedAmount * 100), Math.round(c.billedAmount * 100)),
  };
}

export function countsOf(m: ProjectMetrics): Counts {
  return {
    households: m.households,
    tickets: m.complaints.tickets,
    respondedInTime: m.complaints.respondedInTime,
    resolved: m.complaints.resolved,
    revisited: m.complaints.revisited,
    revisitSatisfied: m.complaints.revisitSatisfied,
    feeMonths: m.fees.months,
    householdsBilled: m.fees.householdsBilled,
    householdsPaid: m.fees.householdsPaid,
    billedAmount: m.fees.billedAmount,
    collectedAmount: m.fees.collectedAmount,
  };
}

export function addCounts(into: Counts, c: Counts): Counts {
  into.households += c.households;
  into.tickets += c.tickets;
  into.respondedInTime += c.respondedInTime;
  into.resolved += c.resolved;
  into.revisited += c.revisited;
  into.revisitSatisfied += c.revisitSatisfied;
  into.feeMonths += c.feeMonths;
  into.householdsBilled += c.householdsBilled;
  into.householdsPaid += c.householdsPaid;
  into.billedAmount = Math.round((into.billedAmount + c.billedAmount) * 100) / 100;
  into.collectedAmount = Math.round((into.collectedAmount + c.collectedAmount) * 100) / 100;
  return into;
}

export const zeroCounts = (): Counts => ({
  households: 0,
  tickets: 0,
  respondedInTime: 0,
  resolved: 0,
  revisited: 0,
  revisitSatisfied: 0,
  feeMonths: 0,
  householdsBilled: 0,
  householdsPaid: 0,
  billedAmount: 0,
  collectedAmount: 0,
});

export interface ProjectFigures {
  projectId: number;
  code: string;
  name: string;
  companyId: number;
  uscc: string;
  companyName: string;
  streetName: string;
  counts: Counts;
  rates: Rates;
}

export interface CompanyFigures {
  companyId: number;
  uscc: string;
  name: string;
  projects: number;
  counts: Counts;
  rates: Rates;
}

export interface BulletinInput {
  kind: 'monthly-bulletin' | 'quarterly-dispatch';
  period: Period;
  scope: string;
  /** which rule set the definitions and the worst share came from, in words */
  ruleSetText: string;
  /** share of projects / companies marked best and worst (the rule set's worst complaint share) */
  share: number;
  projects: readonly ProjectMetrics[];
  companyNames: ReadonlyMap<number, string>;
  streetNames: ReadonlyMap<string, string>;
  /** list entries with transitions in the period */
  movements: readonly ListEntryRow[];
  /** the quarter's months (quarterly dispatch only): counts of all projects in scope per month */
  months?: readonly { month: string; counts: Counts }[];
}

export interface Bulletin {
  projects: ProjectFigures[];
  companies: CompanyFigures[];
  totals: Counts;
  totalRates: Rates;
}

export function bulletinFigures(input: BulletinInput): Bulletin {
  const months = monthCount(input.period);
  const projects = input.projects.map((m): ProjectFigures => {
    const counts = countsOf(m);
    return {
      projectId: m.projectId,
      code: m.projectCode,
      name: m.projectName,
      companyId: m.companyId,
      uscc: m.companyUscc,
      companyName: input.companyNames.get(m.companyId) ?? m.companyUscc,
      streetName: input.streetNames.get(m.streetCode) ?? m.streetCode,
      counts,
      rates: ratesOf(counts, months),
    };
  });
  const byCompany = new Map<number, CompanyFigures>();
  const totals = zeroCounts();
  for (const p of projects) {
    addCounts(totals, p.counts);
    let c = byCompany.get(p.companyId);
    if (!c) {
      c = { companyId: p.companyId, uscc: p.uscc, name: p.companyName, projects: 0, counts: zeroCounts(), rates: ratesOf(zeroCounts(), months) };
      byCompany.set(p.companyId, c);
    }
    c.projects++;
    addCounts(c.counts, p.counts);
  }
  const companies = [...byCompany.values()];
  for (const c of companies) c.rates = ratesOf(c.counts, months);
  return { projects, companies, totals, totalRates: ratesOf(totals, months) };
}

const EXTREME_LABELS: Record<Extreme, string> = { best: '最好', worst: '最差' };
const markText = (mark: Extreme | undefined, what: string) => (mark ? `${what}${EXTREME_LABELS[mark]}` : null);

export function bulletinTitle(input: Pick<BulletinInput, 'kind' | 'period' | 'scope'>, what: string): string {
  const name = input.kind === 'monthly-bulletin' ? '按月通报' : '按季调度';
  return `${periodLabel(input.period)}红色物业${name} · ${what}（${input.scope}）`;
}

// ---- 项目投诉排名 -------------------------------------------------------------------------

/** The columns a project ranking starts with, and their cells. */
const PROJECT_RANK_COLUMNS: readonly ColumnSpec[] = [
  { header: '排名', width: 7, format: 'integer' },
  { header: '项目编码', width: 14, format: 'text' },
  { header: '项目名称', width: 22, format: 'text' },
  { header: '物业服务企业', width: 30, format: 'text' },
  { header: '街道', width: 14, format: 'text' },
];

function projectRankCells(rank: number | null, p: ProjectFigures): CellValue[] {
  return [rank, p.code, p.name, p.companyName, p.streetName];
}

export function complaintRankingSpec(title: string): SheetSpec {
  return {
    name: '项目投诉排名',
    title,
    columns: [
      ...PROJECT_RANK_COLUMNS,
      { header: '总户数', width: 9, format: 'integer' },
      { header: '投诉工单', width: 9, format: 'integer' },
      { header: '每百户年投诉量', width: 13, format: 'decimal2' },
      { header: '24小时响应率', width: 12, format: 'percent' },
      { header: '解决率', width: 10, format: 'percent' },
      { header: '回访满意率', width: 10, format: 'percent' },
      { header: '标注', width: 10, format: 'text' },
    ],
    freezeColumns: 3,
    autoFilter: true,
  };
}

/** Fewest complaints per 100 households first; on a tie the better resolution, then the code. */
export function complaintRankingRows(projects: readonly ProjectFigures[], share: number): SheetRow[] {
  const ranked = rankBy(projects, (p) => p.rates.complaintsPer100HouseholdsYear, 'lower', (a, b) => (b.rates.resolutionRate ?? 1) - (a.rates.resolutionRate ?? 1) || compareText(a.code, b.code));
  const marks = extremes(ranked.map((r) => r.value), 'lower', share);
  return ranked.map(({ item: p, rank }, i) => ({
    cells: [
      ...projectRankCells(rank, p),
      p.counts.households,
      p.counts.tickets,
      p.rates.complaintsPer100HouseholdsYear,
      p.rates.responseInTimeRate,
      p.rates.resolutionRate,
      p.rates.revisitSatisfactionRate,
      markText(marks[i], '投诉'),
    ],
    fill: marks[i],
  }));
}

// ---- 项目收缴率排名 -----------------------------------------------------------------------

export function feeRankingSpec(title: string): SheetSpec {
  return {
    name: '项目收缴率排名',
    title,
    columns: [
      ...PROJECT_RANK_COLUMNS,
      { header: '应缴户数', width: 10, format: 'integer' },
      { header: '已缴户数', width: 10, format: 'integer' },
      { header: '收缴率（按户）', width: 13, format: 'percent' },
      { header: '应收金额（元）', width: 14, format: 'decimal2' },
      { header: '实收金额（元）', width: 14, format: 'decimal2' },
      { header: '收缴率（按金额）', width: 14, format: 'percent' },
      { header: '标注', width: 12, format: 'text' },
    ],
    freezeColumns: 3,
    autoFilter: true,
  };
}

/** Highest collection by household first; projects without a fee record last, unranked. */
export function feeRankingRows(projects: readonly ProjectFigures[], share: number): SheetRow[] {
  const ranked = rankBy(projects, (p) => p.rates.feeCollectionRateByHousehold, 'higher', (a, b) => (b.rates.feeCollectionRateByAmount ?? 0) - (a.rates.feeCollectionRateByAmount ?? 0) || compareText(a.code, b.code));
  const marks = extremes(ranked.map((r) => r.value), 'higher', share);
  return ranked.map(({ item: p, rank }, i) => ({
    cells: [
      ...projectRankCells(rank, p),
      p.counts.householdsBilled,
      p.counts.householdsPaid,
      p.rates.feeCollectionRateByHousehold,
      p.counts.billedAmount,
      p.counts.collectedAmount,
      p.rates.feeCollectionRateByAmount,
      p.counts.feeMonths === 0 ? '无收费记录' : markText(marks[i], '收缴'),
    ],
    fill: marks[i],
  }));
}

// ---- 企业排名 -----------------------------------------------------------------------------

export function companyBulletinSpec(title: string): SheetSpec {
  return {
    name: '企业排名',
    title,
    columns: [
      { header: '投诉排名', width: 8, format: 'integer' },
      { header: '收缴排名', width: 8, format: 'integer' },
      { header: '物业服务企业', width: 30, format: 'text' },
      { header: '统一社会信用代码', width: 21, format: 'text' },
      { header: '项目数', width: 8, format: 'integer' },
      { header: '总户数', width: 10, format: 'integer' },
      { header: '投诉工单', width: 9, format: 'integer' },
      { header: '每百户年投诉量', width: 13, format: 'decimal2' },
      { header: '24小时响应率', width: 12, format: 'percent' },
      { header: '解决率', width: 10, format: 'percent' },
      { header: '收缴率（按户）', width: 13, format: 'percent' },
      { header: '收缴率（按金额）', width: 14, format: 'percent' },
      { header: '标注', width: 20, format: 'text' },
    ],
    freezeColumns: 3,
    autoFilter: true,
  };
}

/** Sorted by the complaint ranking; the complaint and the collection cells carry their own marks. */
export function companyBulletinRows(companies: readonly CompanyFigures[], share: number): SheetRow[] {
  const byComplaints = rankBy(companies, (c) => c.rates.complaintsPer100HouseholdsYear, 'lower', (a, b) => compareText(a.uscc, b.uscc));
  const byFees = rankBy(companies, (c) => c.rates.feeCollectionRateByHousehold, 'higher', (a, b) => compareText(a.uscc, b.uscc));
  const complaintMarks = extremes(byComplaints.map((r) => r.value), 'lower', share);
  const feeRank = new Map<number, number | null>();
  const feeMark = new Map<number, Extreme | undefined>();
  const feeMarks = extremes(byFees.map((r) => r.value), 'higher', share);
  byFees.forEach((r, i) => {
    feeRank.set(r.item.companyId, r.rank);
    feeMark.set(r.item.companyId, feeMarks[i]);
  });
  return byComplaints.map(({ item: c, rank }, i) => {
    const fee = feeMark.get(c.companyId);
    const fills: Record<number, Extreme> = {};
    if (complaintMarks[i]) fills[7] = complaintMarks[i]!;
    if (fee) fills[10] = fee;
    return {
      cells: [
        rank,
        feeRank.get(c.companyId) ?? null,
        c.name,
        c.uscc,
        c.projects,
        c.counts.households,
        c.counts.tickets,
        c.rates.complaintsPer100HouseholdsYear,
        c.rates.responseInTimeRate,
        c.rates.resolutionRate,
        c.rates.feeCollectionRateByHousehold,
        c.rates.feeCollectionRateByAmount,
        [markText(complaintMarks[i], '投诉'), markText(fee, '收缴')].filter(Boolean).join('；') || null,
      ],
      cellFills: fills,
    };
  });
}

// ---- 名单变动 -----------------------------------------------------------------------------

export function movementsSpec(title: string): SheetSpec {
  return {
    name: '名单变动',
    title,
    columns: [
      { header: '日期', width: 12, format: 'date' },
      { header: '名单', width: 7, format: 'text' },
      { header: '物业服务企业', width: 30, format: 'text' },
      { header: '统一社会信用代码', width: 21, format: 'text' },
      { header: '变动', width: 14, format: 'text' },
      { header: '说明', width: 40, format: 'text' },
      { header: '列入原因', width: 40, format: 'text' },
      { header: '依据条款', width: 50, format: 'text' },
      { header: '严重程度', width: 8, format: 'text' },
    ],
    freezeColumns: 1,
    autoFilter: true,
  };
}

/** One row per transition of the period, by date. */
export function movementRows(entries: readonly ListEntryRow[], from: string, to: string): SheetRow[] {
  const rows = entries.flatMap((e) =>
    e.transitions
      .filter((t) => t.on >= from && t.on <= to)
      .map((t) => ({ e, t })),
  );
  rows.sort((a, b) => compareText(a.t.on, b.t.on) || compareText(a.e.list, b.e.list) || compareText(a.e.uscc, b.e.uscc));
  return rows.map(({ e, t }) => ({
    cells: [t.on, LIST_LABELS[e.list], e.companyName, e.uscc, TRANSITION_LABELS[t.kind] ?? t.kind, t.note, e.reason, e.clause, SEVERITY_LABELS[e.severity] ?? e.severity],
    cellFills: { 1: e.list },
  }));
}

// ---- 概况 -----------------------------------------------------------------------------------

export function bulletinOverviewRows(input: BulletinInput, b: Bulletin): SheetRow[] {
  const t = b.totals;
  const r = b.totalRates;
  const withTickets = b.projects.filter((p) => p.counts.tickets > 0).length;
  const withFees = b.projects.filter((p) => p.counts.feeMonths > 0).length;
  const transitions = input.movements.flatMap((e) => e.transitions.map((x) => ({ e, x })));
  const moved = (kind: string, list: 'red' | 'black') => transitions.filter(({ e, x }) => x.kind === kind && e.list === list).length;
  const best = (rows: SheetRow[], n: number) => rows.filter((row) => row.fill === 'best').slice(0, n).map((row) => `${row.cells[2]}（${row.cells[1]}）`);
  const worst = (rows: SheetRow[], n: number) => rows.filter((row) => row.fill === 'worst').slice(-n).reverse().map((row) => `${row.cells[2]}（${row.cells[1]}）`);
  const complaintRows = complaintRankingRows(b.projects, input.share);
  const feeRows = feeRankingRows(b.projects, input.share);
  const rows: SheetRow[] = [
    textRow('周期', `${periodLabel(input.period)}（${input.period.code}）`),
    textRow('范围', input.scope),
    itemRow('物业项目', b.projects.length),
    itemRow('物业服务企业', b.companies.length),
    itemRow('总户数', t.households),
    sectionRow('投诉（居民点单、物业下单、党员接单、党组织督单）'),
    itemRow('投诉工单', t.tickets),
    itemRow('有投诉的项目', withTickets, null, { share: shareOf(withTickets, b.projects.length) }),
    itemRow('每百户年投诉量', r.complaintsPer100HouseholdsYear, '工单数 ÷ 户数 × 100 × 12 ÷ 周期月数', { format: 'decimal2' }),
    itemRow('24小时响应率', r.responseInTimeRate, null, { format: 'percent' }),
    itemRow('解决率', r.resolutionRate, null, { format: 'percent' }),
    itemRow('回访满意率', r.revisitSatisfactionRate, null, { format: 'percent' }),
    textRow('投诉最少（前列）', best(complaintRows, 5).join('、') || '—'),
    textRow('投诉最多（末位）', worst(complaintRows, 5).join('、') || '—'),
    sectionRow('物业费收缴'),
    itemRow('有收费记录的项目', withFees, null, { share: shareOf(withFees, b.projects.length) }),
    itemRow('应缴户数', t.householdsBilled),
    itemRow('已缴户数', t.householdsPaid),
    itemRow('收缴率（按户）', r.feeCollectionRateByHousehold, '已缴户数 ÷ 应缴户数', { format: 'percent' }),
    itemRow('应收金额（元）', t.billedAmount, null, { format: 'decimal2' }),
    itemRow('实收金额（元）', t.collectedAmount, null, { format: 'decimal2' }),
    itemRow('收缴率（按金额）', r.feeCollectionRateByAmount, null, { format: 'percent' }),
    textRow('收缴率最高（前列）', best(feeRows, 5).join('、') || '—'),
    textRow('收缴率最低（末位）', worst(feeRows, 5).join('、') || '—'),
    sectionRow('红黑榜变动'),
    itemRow('新列入红榜', moved('entered', 'red')),
    itemRow('新列入黑榜', moved('entered', 'black')),
    itemRow('移出红榜', moved('exited', 'red') + moved('expired', 'red'), '含期满移出'),
    itemRow('移出黑榜', moved('exited', 'black') + moved('expired', 'black'), '含期满移出'),
  ];
  if (input.months && input.months.length > 0) {
    rows.push(sectionRow('按月走势'));
    for (const m of input.months) {
      const mr = ratesOf(m.counts, 1);
      const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(2)}%`);
      rows.push(
        itemRow(
          `${m.month} 投诉工单`,
          m.counts.tickets,
          `每百户年投诉量 ${mr.complaintsPer100HouseholdsYear === null ? '—' : mr.complaintsPer100HouseholdsYear.toFixed(2)}；24小时响应率 ${pct(mr.responseInTimeRate)}；解决率 ${pct(mr.resolutionRate)}；收缴率（按户）${pct(mr.feeCollectionRateByHousehold)}`,
        ),
      );
    }
  }
  return rows;
}

export function bulletinNotes(input: BulletinInput): string[] {
  const percent = `${Math.round(input.share * 1000) / 10}%`;
  return [
    `口径：${input.ruleSetText}。投诉按受理时间（北京时间）归入月份；每百户年投诉量 = 工单数 ÷ 户数 × 100 × 12 ÷ 周期月数；24小时响应率 = 受理后 24 小时内响应的工单 ÷ 工单数；解决率 = 已解决工单 ÷ 工单数；收缴率（按户）= 已缴户数 ÷ 应缴户数。`,
    '排名：数值相同者名次相同（如 1、2、2、4）；投诉排名以每百户年投诉量从少到多，收缴排名以收缴率（按户）从高到低；无收费记录的项目不参加收缴排名。',
    `标注：最好和最差各约 ${percent}（至少 1 个）以绿色和红色底纹标出；与临界值相同的并列者一并标出，但并列者过多（超过两倍）时该并列值不标，所有数值相同时不标。`,
  ];
}

export function bulletinOverviewSpec(title: string): SheetSpec {
  return { name: '概况', title, columns: SUMMARY_COLUMNS };
}
