/**
 * The fact streams. Each is a generator over the projects in order; each project draws from
 * its own sub-stream (seed, kind, project index), so a stream restarts identically and
 * nothing larger than one project's tickets is ever held in memory.
 */
import type { ComplaintRecord, EventRecord, FeeRecord, PartyCheckRecord, RatingRecord, SurveyAnswerRecord } from '../../src/intake/records.js';
import type { ComplaintCategory, EventKind, HonourLevel, RevisitVerdict, SurveyChannel } from '../../src/domain/vocabulary.js';
import type { Random } from './random.js';
import { PARTY_FLAG_CODES, type CompanyProfile, type ProjectProfile, type World } from './world.js';

const ROUND_MONTHS = [3, 6, 9, 12] as const;
/** Question-level shifts of the chance of a high answer (sum 0): parking and repairs draw more complaints. */
const QUESTION_OFFSETS = [0.01, 0.02, 0.02, -0.02, 0.01, -0.04, -0.02, 0.02];
const QUESTIONS = 8;

const clamp = (x: number, lo: number, hi: number): number => (x < lo ? lo : x > hi ? hi : x);
const pad = (n: number, width: number): string => String(n).padStart(width, '0');

export function* surveyAnswers(world: World): Generator<SurveyAnswerRecord> {
  for (const p of world.projectProfiles) {
    const rng = world.key.stream('survey', p.index);
    const rounds = p.gapQuarter ? ROUND_MONTHS.filter((m) => m !== p.gapQuarter * 3) : ROUND_MONTHS;
    const k = rounds.length;
    const base = Math.floor(p.respondents / k);
    const extra = p.respondents % k;
    const firstExtra = rng.int(k);
    let phonesLeft = p.phoneProxies;
    let respondentsLeft = p.respondents;
    let answersLeft = p.respondents * QUESTIONS;
    let lowLeft = p.lowShare === null ? 0 : Math.floor(answersLeft * p.lowShare);
    const exact = p.lowShare !== null;
    const code = p.code;
    for (let r = 0; r < k; r++) {
      const month = world.monthCodes[rounds[r] - 1];
      const n = base + ((r - firstExtra + k) % k < extra ? 1 : 0);
      for (let no = 1; no <= n; no++) {
        let channel: SurveyChannel;
        if (phonesLeft > 0 && rng.next() * respondentsLeft < phonesLeft) {
          channel = 'phone_proxy';
          phonesLeft--;
        } else {
          channel = rng.next() < p.onlineShare ? 'online' : 'door_to_door';
        }
        respondentsLeft--;
        const mood = (rng.next() - 0.5) * 0.1;
        for (let q = 0; q < QUESTIONS; q++) {
          let answer = 5;
          if (!p.allFives) {
            let high: boolean;
            if (exact) {
              high = rng.next() * answersLeft >= lowLeft;
              if (!high) lowLeft--;
              answersLeft--;
            } else {
              high = rng.next() < p.pHigh + QUESTION_OFFSETS[q] + mood;
            }
            const u = rng.next();
            answer = high ? (u < p.p5 ? 5 : 4) : u < 0.6 ? 3 : u < 0.88 ? 2 : 1;
          }
          yield { projectCode: code, month, respondentNo: no, questionNo: q + 1, answer, channel };
        }
      }
    }
  }
}

const CATEGORIES: readonly ComplaintCategory[] = ['repair', 'environment', 'parking', 'security', 'fees', 'service_attitude', 'greening', 'other'];
const CATEGORY_WEIGHTS = [25, 18, 15, 10, 10, 8, 7, 7];
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Asia/Shanghai is UTC+8 all year (no daylight saving). */
const SHANGHAI_OFFSET_MS = 8 * HOUR_MS;

interface Calendar {
  /** day of year (0-based) on which each month starts; [12] = days in the year */
  monthStart: number[];
  /** 00:00 on 1 January, Shanghai time, as epoch ms */
  startMs: number;
}

function calendar(year: number): Calendar {
  const monthStart: number[] = [];
  const jan1 = Date.UTC(year, 0, 1);
  for (let m = 0; m <= 12; m++) monthStart.push(Math.round((Date.UTC(year, m, 1) - jan1) / DAY_MS));
  return { monthStart, startMs: jan1 - SHANGHAI_OFFSET_MS };
}

/** A day of the year outside the gap quarter (if any), uniformly. */
function dayOutsideGap(rng: Random, cal: Calendar, gapQuarter: number): number {
  if (!gapQuarter) return rng.int(cal.monthStart[12]);
  const gapStart = cal.monthStart[(gapQuarter - 1) * 3];
  const gapEnd = cal.monthStart[gapQuarter * 3];
  const d = rng.int(cal.monthStart[12] - (gapEnd - gapStart));
  return d < gapStart ? d : d + (gapEnd - gapStart);
}

function isoDay(cal: Calendar, year: number, dayOfYear: number): string {
  let m = 0;
  while (cal.monthStart[m + 1] <= dayOfYear) m++;
  return `${year}-${pad(m + 1, 2)}-${pad(dayOfYear - cal.monthStart[m] + 1, 2)}`;
}

function revisit(rng: Random, p: ProjectProfile, resolved: boolean, lateInYear: boolean): RevisitVerdict | null {
  const u = rng.next();
  if (resolved) {
    if (lateInYear && rng.chance(0.5)) return null; // not revisited yet at year end
    const pSatisfied = 0.5 + 0.35 * p.quality;
    if (u < pSatisfied) return 'satisfied';
    if (u < pSatisfied + 0.28) return 'basically_satisfied';
    if (u < pSatisfied + 0.28 + 0.1 * (1.2 - p.quality)) return 'dissatisfied';
    return 'unreachable';
  }
  return u < 0.55 ? 'dissatisfied' : u < 0.8 ? 'unreachable' : null;
}

export function* complaints(world: World): Generator<ComplaintRecord> {
  const cal = calendar(world.year);
  const lateFrom = cal.startMs + (cal.monthStart[12] - 8) * DAY_MS;
  let seq = 0;
  for (const p of world.projectProfiles) {
    const count = p.complaintCount;
    if (count === 0) continue;
    const rng = world.key.stream('complaints', p.index);
    // receipt times as seconds into the year (Shanghai time), mostly in working hours
    const seconds = new Float64Array(count);
    for (let i = 0; i < count; i++) {
      const day = dayOutsideGap(rng, cal, p.gapQuarter);
      const u = rng.next();
      const hour = u < 0.85 ? rng.intBetween(8, 19) : u < 0.95 ? rng.intBetween(20, 22) : rng.intBetween(23, 31) % 24;
      seconds[i] = day * 86_400 + hour * 3600 + rng.int(3600);
    }
    seconds.sort();
    let resolvedLeft = p.resolvedCount ?? 0;
    for (let i = 0; i < count; i++) {
      const receivedMs = cal.startMs + seconds[i] * 1000;
      const fast = rng.chance(p.pFast);
      const delayMinutes = fast ? 5 + Math.min(1430, Math.floor(-Math.log(1 - rng.next()) * 150)) : 1440 + rng.int(4320);
      const respondedMs = receivedMs + delayMinutes * 60_000 + rng.int(60) * 1000;
      let resolved: boolean;
      if (p.resolvedCount !== null) {
        resolved = rng.next() * (count - i) < resolvedLeft;
        if (resolved) resolvedLeft--;
      } else {
        resolved = rng.chance(p.pResolved);
      }
      // resolution between one hour and ten days after the response (log-uniform)
      const resolvedAt = resolved ? new Date(respondedMs + 1000 * Math.round(3600 * Math.exp(rng.next() * Math.log(240)))) : null;
      const category = CATEGORIES[rng.weightedIndex(CATEGORY_WEIGHTS, 100)];
      seq++;
      yield {
        ticketNo: `T${world.year}-${pad(seq, 7)}`,
        projectCode: p.code,
        receivedAt: new Date(receivedMs),
        respondedAt: new Date(respondedMs),
        resolvedAt,
        category,
        resolved,
        revisitVerdict: revisit(rng, p, resolved, receivedMs >= lateFrom),
      };
    }
  }
}

/** Month-of-year shifts of the collection rate: a slow January, the year-end push. */
const FEE_SEASON = [-0.01, 0, 0, 0, 0, 0.005, 0, 0, 0, 0, 0, 0.015];

export function* fees(world: World): Generator<FeeRecord> {
  for (const p of world.projectProfiles) {
    const rng = world.key.stream('fees', p.index);
    const billed = p.occupied;
    // integer arithmetic in fen (0.01 yuan) and 0.01 m²
    const occupiedAreaCenti = Math.round((p.floorAreaCenti * p.occupied) / p.households);
    const billedFen = Math.max(1, Math.round((p.priceFen * occupiedAreaCenti) / 100));
    for (let m = 0; m < 12; m++) {
      if (p.gapQuarter && Math.floor(m / 3) + 1 === p.gapQuarter) continue;
      const rate = clamp(p.feeRate + FEE_SEASON[m] + p.feeJitter * rng.normal(), p.feeRateMin, p.feeRateMax);
      const paid = clamp(Math.round(billed * rate), 0, billed);
      // some payers settle only part of the bill
      const collectedFen = clamp(Math.round(((billedFen * paid) / billed) * (1 - 0.02 * rng.next())), 0, billedFen);
      yield {
        projectCode: p.code,
        month: world.monthCodes[m],
        billedAmount: billedFen / 100,
        collectedAmount: collectedFen / 100,
        householdsBilled: billed,
        householdsPaid: paid,
      };
    }
  }
}

const FLAG_EVIDENCE: Record<(typeof PARTY_FLAG_CODES)[number], readonly string[]> = {
  six_haves_venue: ['党群服务站设于物业服务中心二楼，面积约60平方米', '小区党群活动室已挂牌使用', '与社区共建党员活动阵地'],
  six_haves_facilities: ['配备桌椅、投影及电教设备', '活动室配有电脑、打印机和宣传栏'],
  six_haves_sign: ['门口悬挂“红色物业”标识牌', '统一制作党组织标牌及公示栏'],
  six_haves_flag: ['活动室悬挂党旗', '党员活动室设党旗及入党誓词墙'],
  six_haves_reading: ['订阅《人民日报》《四川日报》等党报党刊', '设党建书架，藏书约200册'],
  six_haves_rules: ['“三会一课”等制度上墙', '党支部工作制度及议事规则上墙公示'],
  cross_appointment: ['社区党委委员兼任项目党支部书记', '物业项目经理进入社区“两委”班子'],
  party_instructor: ['街道党工委选派党建指导员1名', '社区党委书记兼任党建指导员'],
  members_show_identity: ['党员员工佩戴党徽上岗', '设立党员先锋岗，公示党员身份'],
};

export function* partyChecks(world: World): Generator<PartyCheckRecord> {
  const year = String(world.year);
  for (const p of world.projectProfiles) {
    const rng = world.key.stream('party', p.index);
    for (let i = 0; i < PARTY_FLAG_CODES.length; i++) {
      const indicatorCode = PARTY_FLAG_CODES[i];
      const value = (p.flagMask >> i) & 1;
      const evidence = value ? (rng.chance(0.75) ? rng.pick(FLAG_EVIDENCE[indicatorCode]) : null) : rng.chance(0.3) ? '现场核查未达标' : null;
      yield { scope: 'project', projectCode: p.code, companyUscc: null, period: year, indicatorCode, value, evidence };
    }
    for (let m = 0; m < 12; m++) {
      const u = rng.next();
      const value = (p.meetingMask >> m) & 1 ? (u < 0.7 ? 1 : u < 0.92 ? 2 : 3) : 0;
      const month = world.monthCodes[m];
      const evidence = value && rng.chance(0.8) ? `${month}三方联席会议纪要` : null;
      yield { scope: 'project', projectCode: p.code, companyUscc: null, period: month, indicatorCode: 'joint_meetings', value, evidence };
    }
  }
  for (const c of world.companyProfiles) {
    const rng = world.key.stream('party-company', c.index);
    if (c.hasPartyOrg) {
      const activities = c.role === 'red' ? rng.intBetween(16, 28) : rng.intBetween(4, 24);
      const members = 3 + c.projects.length * rng.intBetween(1, 3) + rng.int(10);
      yield {
        scope: 'company',
        projectCode: null,
        companyUscc: c.uscc,
        period: year,
        indicatorCode: 'company_party_activities',
        value: activities,
        evidence: rng.chance(0.7) ? '企业党组织活动台账' : null,
      };
      yield {
        scope: 'company',
        projectCode: null,
        companyUscc: c.uscc,
        period: year,
        indicatorCode: 'company_party_members',
        value: members,
        evidence: rng.chance(0.7) ? '党员职工花名册' : null,
      };
    } else if (rng.chance(0.3)) {
      yield {
        scope: 'company',
        projectCode: null,
        companyUscc: c.uscc,
        period: year,
        indicatorCode: 'company_party_members',
        value: rng.int(3),
        evidence: null,
      };
    }
  }
}

interface EventDraft {
  kind: EventKind;
  projectIndex: number | null;
  day: number;
  honourLevel: HonourLevel | null;
}

const HONOUR_SOURCES: Record<HonourLevel, { source: string; evidence: string; label: string }> = {
  district: { source: '区委组织部', evidence: '区委组通', label: '区级' },
  city: { source: '市住建局', evidence: '市住建发', label: '市级' },
  province: { source: '省住房和城乡建设厅', evidence: '川建房发', label: '省级' },
};

const EVIDENCE_PREFIX = {
  FIRE: '消防责改字',
  STREET: '街道记分建议',
  PENALTY: '住建罚字',
  CRITICISM: '住建通报',
  HONOUR: '表彰决定',
  TECH: '技术创新认证',
} as const;

/** Source, Chinese description and the kind of document (a key of EVIDENCE_PREFIX) of an event. */
function eventText(
  rng: Random,
  draft: EventDraft,
  company: CompanyProfile,
  projectName: string | null,
): { source: string; description: string; evidence: keyof typeof EVIDENCE_PREFIX } {
  const where = projectName ?? company.name;
  switch (draft.kind) {
    case 'finding': {
      const fire = rng.chance(0.5);
      return fire
        ? { source: '消防救援大队', description: `${where}消防通道被堆放杂物占用，责令限期整改`, evidence: 'FIRE' }
        : { source: '街道记分建议', description: `${where}存在违法搭建未及时劝阻和报告`, evidence: 'STREET' };
    }
    case 'administrative_penalty':
      return {
        source: rng.chance(0.6) ? '区住建局' : '市住建局',
        description: rng.chance(0.5) ? `${where}未按规定对电梯、消防设施进行维护保养，处以警告并罚款` : `${where}擅自提高收费标准，责令退还并处以罚款`,
        evidence: 'PENALTY',
      };
    case 'public_criticism':
      return {
        source: rng.chance(0.5) ? '市住建局' : '区住建局',
        description: `${where}在物业服务质量专项检查中问题突出，予以通报批评`,
        evidence: 'CRITICISM',
      };
    case 'safety_incident':
      return {
        source: rng.chance(0.5) ? '消防救援大队' : '区应急管理局',
        description: `${where}地下车库发生电动自行车充电起火，未造成人员伤亡`,
        evidence: 'FIRE',
      };
    case 'honour': {
      const level = HONOUR_SOURCES[draft.honourLevel!];
      return {
        source: level.source,
        description: projectName ? `${projectName}获评${level.label}“红色物业”示范小区` : `${company.name}获评${level.label}“红色物业”先进单位`,
        evidence: 'HONOUR',
      };
    }
    case 'demonstration_site':
      return { source: '区委组织部', description: `${where}被确定为“红色物业”示范点`, evidence: 'HONOUR' };
    case 'tech_innovation':
      return { source: '市住建局', description: `${company.name}“智慧物业服务平台”通过技术创新认证`, evidence: 'TECH' };
    case 'maintenance_fund_misuse':
      return { source: '市住建局', description: `${company.name}擅自挪用${where}专项维修资金用于日常经营支出`, evidence: 'PENALTY' };
    case 'major_safety_accident':
      return { source: '区应急管理局', description: `${where}外墙脱落致人受伤，构成重大安全责任事故`, evidence: 'FIRE' };
    case 'refusing_inspection':
      return { source: '区住建局', description: `${company.name}拒不配合物业服务质量监督检查`, evidence: 'PENALTY' };
    case 'serious_dishonesty':
      return { source: '市住建局', description: `${company.name}在招投标中提供虚假材料`, evidence: 'PENALTY' };
  }
}

function honourLevel(rng: Random): HonourLevel {
  const u = rng.next();
  return u < 0.6 ? 'district' : u < 0.9 ? 'city' : 'province';
}

/**
 * Random events of an ordinary project; deductions more likely the weaker the company.
 * The demo gets no random deductions, so that its red and black lists are exactly the planted ones.
 */
function ordinaryProjectEvents(rng: Random, p: ProjectProfile, days: number, deductions: boolean): EventDraft[] {
  const drafts: EventDraft[] = [];
  const bad = deductions ? 1.5 - p.quality : 0;
  const good = 0.5 + p.quality;
  const add = (kind: EventKind, honour: HonourLevel | null = null) => drafts.push({ kind, projectIndex: p.index, day: rng.int(days), honourLevel: honour });
  if (rng.chance(0.03 * bad)) add('finding');
  if (rng.chance(0.01 * bad)) add('administrative_penalty');
  if (rng.chance(0.006 * bad)) add('public_criticism');
  if (rng.chance(0.0015 * bad)) add('safety_incident');
  if (rng.chance(0.02 * good)) add('honour', honourLevel(rng));
  if (rng.chance(0.008 * good)) add('demonstration_site');
  return drafts;
}

function plantedProjectEvents(world: World, p: ProjectProfile, company: CompanyProfile): EventDraft[] {
  const rank = company.projects.indexOf(p.index);
  const { planted } = world;
  const at = (kind: EventKind, day: number, honour: HonourLevel | null = null): EventDraft => ({ kind, projectIndex: p.index, day, honourLevel: honour });
  switch (company.role) {
    case 'red':
      if (rank === 0) return [at('honour', 120 + (company.index % 60), 'city')];
      if (rank === 1) return [at('demonstration_site', 200 + (company.index % 60))];
      return [];
    case 'black':
      if (rank === 0) return [at('administrative_penalty', 95 + (company.index % 50))];
      if (rank === 1 && company.index === planted.black[0]) return [at('finding', 160 + (company.index % 50))];
      return [];
    case 'veto':
      return rank === 0 ? [at('maintenance_fund_misuse', 130 + (company.index % 90))] : [];
    case 'ordinary':
      return [];
  }
}

function companyEvents(world: World, rng: Random, c: CompanyProfile, days: number): EventDraft[] {
  const drafts: EventDraft[] = [];
  const add = (kind: EventKind, day: number, honour: HonourLevel | null = null) => drafts.push({ kind, projectIndex: null, day, honourLevel: honour });
  switch (c.role) {
    case 'red':
      if (c.index === world.planted.red[0]) add('tech_innovation', 250);
      break;
    case 'black':
      if (c.index === world.planted.black[1]) add('public_criticism', 210);
      break;
    case 'veto':
      break;
    case 'ordinary': {
      const bad = world.scale === 'demo' ? 0 : 1.5 - c.quality;
      const good = 0.5 + c.quality;
      if (rng.chance(0.015 * good)) add('tech_innovation', rng.int(days));
      if (rng.chance(0.01 * good)) add('honour', rng.int(days), honourLevel(rng));
      if (rng.chance(0.004 * bad)) add('public_criticism', rng.int(days));
      if (rng.chance(0.003 * bad)) add('administrative_penalty', rng.int(days));
      // a handful of veto cases at city and province scale, none in the demo
      if (world.scale !== 'demo' && rng.chance(0.001 * bad)) {
        const kinds: EventKind[] = ['major_safety_accident', 'refusing_inspection', 'serious_dishonesty', 'maintenance_fund_misuse'];
        add(rng.pick(kinds), rng.int(days));
      }
      break;
    }
  }
  return drafts;
}

export function* events(world: World): Generator<EventRecord> {
  const cal = calendar(world.year);
  const days = cal.monthStart[12];
  let seq = 0;
  const emit = (rng: Random, draft: EventDraft, company: CompanyProfile): EventRecord => {
    const project = draft.projectIndex === null ? null : world.projectProfiles[draft.projectIndex];
    const text = eventText(rng, draft, company, project?.name ?? null);
    seq++;
    return {
      eventNo: `E${world.year}-${pad(seq, 6)}`,
      kind: draft.kind,
      companyUscc: company.uscc,
      projectCode: project?.code ?? null,
      occurredOn: isoDay(cal, world.year, draft.day),
      honourLevel: draft.kind === 'honour' ? draft.honourLevel : null,
      source: text.source,
      description: text.description,
      evidence: rng.chance(0.08) ? null : `${EVIDENCE_PREFIX[text.evidence]}〔${world.year}〕第${rng.intBetween(1, 320)}号`,
    };
  };
  for (const p of world.projectProfiles) {
    const company = world.companyProfiles[p.company];
    const rng = world.key.stream('events', p.index);
    const drafts = company.role === 'ordinary' ? ordinaryProjectEvents(rng, p, days, world.scale !== 'demo') : plantedProjectEvents(world, p, company);
    drafts.sort((a, b) => a.day - b.day);
    for (const draft of drafts) yield emit(rng, draft, company);
  }
  for (const c of world.companyProfiles) {
    const rng = world.key.stream('events-company', c.index);
    const drafts = companyEvents(world, rng, c, days).sort((a, b) => a.day - b.day);
    for (const draft of drafts) yield emit(rng, draft, c);
  }
}

const RATERS = ['community_party_org', 'owners_committee'] as const;

export function* ratings(world: World): Generator<RatingRecord> {
  const period = String(world.year);
  for (const p of world.projectProfiles) {
    const rng = world.key.stream('ratings', p.index);
    for (const raterRole of RATERS) {
      const value = clamp(p.ratingMean + 0.3 * rng.normal(), p.ratingMin, p.ratingMax);
      yield { projectCode: p.code, period, raterRole, rating: Math.round(value * 10) / 10 };
    }
  }
}
