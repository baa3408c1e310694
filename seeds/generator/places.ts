/**
 * Sichuan county-level divisions (GB/T 2260 codes) and the syllable lists the generator
 * draws Chinese names from. Weights are rough urban weights: how many streets and managed
 * estates a county gets relative to the others.
 */

export interface County {
  code: string;
  name: string;
  /** 4-digit prefecture code */
  prefecture: string;
  weight: number;
  /** a district (区) or county-level city: streets are 街道 rather than towns */
  urban: boolean;
}

export const PREFECTURES: Record<string, string> = {
  '5101': '成都',
  '5103': '自贡',
  '5104': '攀枝花',
  '5105': '泸州',
  '5106': '德阳',
  '5107': '绵阳',
  '5108': '广元',
  '5109': '遂宁',
  '5110': '内江',
  '5111': '乐山',
  '5113': '南充',
  '5114': '眉山',
  '5115': '宜宾',
  '5116': '广安',
  '5117': '达州',
  '5118': '雅安',
  '5119': '巴中',
  '5120': '资阳',
  '5132': '阿坝',
  '5133': '甘孜',
  '5134': '凉山',
};

/** code name weight, one per line */
const COUNTY_TABLE = `
510104 锦江区 10
510105 青羊区 10
510106 金牛区 10
510107 武侯区 10
510108 成华区 10
510112 龙泉驿区 6
510113 青白江区 3
510114 新都区 6
510115 温江区 5
510116 双流区 7
510117 郫都区 6
510118 新津区 3
510121 金堂县 2
510129 大邑县 1.5
510131 蒲江县 1
510181 都江堰市 2.5
510182 彭州市 2
510183 邛崃市 1.5
510184 崇州市 1.5
510185 简阳市 2.5
510302 自流井区 3
510303 贡井区 1.5
510304 大安区 2
510311 沿滩区 1.5
510321 荣县 1
510322 富顺县 1
510402 东区 2.5
510403 西区 1.5
510411 仁和区 1.5
510421 米易县 0.6
510422 盐边县 0.5
510502 江阳区 3.5
510503 纳溪区 1.5
510504 龙马潭区 3
510521 泸县 1
510522 合江县 1
510524 叙永县 0.6
510525 古蔺县 0.6
510603 旌阳区 3.5
510604 罗江区 1
510623 中江县 1
510681 广汉市 1.5
510682 什邡市 1.2
510683 绵竹市 1.2
510703 涪城区 4
510704 游仙区 2.5
510705 安州区 1.2
510722 三台县 1
510723 盐亭县 0.6
510725 梓潼县 0.6
510726 北川羌族自治县 0.5
510727 平武县 0.4
510781 江油市 1.5
510802 利州区 2.5
510811 昭化区 0.6
510812 朝天区 0.5
510821 旺苍县 0.6
510822 青川县 0.4
510823 剑阁县 0.6
510824 苍溪县 0.7
510903 船山区 3
510904 安居区 1.2
510921 蓬溪县 0.8
510923 大英县 0.8
510981 射洪市 1.2
511002 市中区 2.5
511011 东兴区 2
511024 威远县 0.8
511025 资中县 0.8
511083 隆昌市 1
511102 市中区 3
511111 沙湾区 0.8
511112 五通桥区 0.8
511113 金口河区 0.3
511123 犍为县 0.7
511124 井研县 0.5
511126 夹江县 0.7
511129 沐川县 0.4
511132 峨边彝族自治县 0.3
511133 马边彝族自治县 0.3
511181 峨眉山市 1.5
511302 顺庆区 3.5
511303 高坪区 2
511304 嘉陵区 1.5
511321 南部县 1.2
511322 营山县 0.8
511323 蓬安县 0.7
511324 仪陇县 0.8
511325 西充县 0.6
511381 阆中市 1.2
511402 东坡区 3
511403 彭山区 1.2
511421 仁寿县 1.5
511423 洪雅县 0.6
511424 丹棱县 0.4
511425 青神县 0.4
511502 翠屏区 4
511503 南溪区 1.2
511504 叙州区 2
511523 江安县 0.6
511524 长宁县 0.6
511525 高县 0.6
511526 珙县 0.6
511527 筠连县 0.5
511528 兴文县 0.5
511529 屏山县 0.4
511602 广安区 2.5
511603 前锋区 1
511621 岳池县 1
511622 武胜县 0.8
511623 邻水县 0.8
511681 华蓥市 0.8
511702 通川区 3
511703 达川区 2
511722 宣汉县 0.9
511723 开江县 0.5
511724 大竹县 0.9
511725 渠县 1
511781 万源市 0.6
511802 雨城区 2
511803 名山区 0.8
511822 荥经县 0.4
511823 汉源县 0.4
511824 石棉县 0.4
511825 天全县 0.3
511826 芦山县 0.3
511827 宝兴县 0.2
511902 巴州区 2.5
511903 恩阳区 1
511921 通江县 0.6
511922 南江县 0.6
511923 平昌县 0.6
512002 雁江区 2.5
512021 安岳县 1
512022 乐至县 0.7
513201 马尔康市 0.5
513221 汶川县 0.4
513222 理县 0.2
513223 茂县 0.3
513224 松潘县 0.3
513225 九寨沟县 0.3
513226 金川县 0.2
513227 小金县 0.2
513228 黑水县 0.2
513231 阿坝县 0.2
513232 若尔盖县 0.2
513233 红原县 0.2
513301 康定市 0.6
513322 泸定县 0.3
513323 丹巴县 0.2
513324 九龙县 0.2
513325 雅江县 0.2
513326 道孚县 0.2
513328 甘孜县 0.2
513334 理塘县 0.2
513335 巴塘县 0.2
513337 稻城县 0.2
513401 西昌市 2.5
513402 会理市 0.8
513423 盐源县 0.4
513424 德昌县 0.4
513426 会东县 0.4
513427 宁南县 0.3
513428 普格县 0.2
513431 昭觉县 0.3
513432 喜德县 0.2
513433 冕宁县 0.4
513434 越西县 0.3
513435 甘洛县 0.3
513436 美姑县 0.2
513437 雷波县 0.3
`;

export const SICHUAN_COUNTIES: readonly County[] = COUNTY_TABLE.trim()
  .split('\n')
  .map((line) => {
    const [code, name, weight] = line.trim().split(/\s+/) as [string, string, string];
    return {
      code,
      name,
      prefecture: code.slice(0, 4),
      weight: Number(weight),
      urban: name.endsWith('区') || name.endsWith('市'),
    };
  });

export const CHENGDU_COUNTIES: readonly County[] = SICHUAN_COUNTIES.filter((c) => c.prefecture === '5101');

export function countyByCode(code: string): County {
  const county = SICHUAN_COUNTIES.find((c) => c.code === code);
  if (!county) throw new Error(`unknown county ${code}`);
  return county;
}

/** Streets and communities of the demo dataset: two real streets of central Chengdu. */
export const DEMO_STREETS: readonly { county: string; name: string; communities: readonly string[] }[] = [
  { county: '510105', name: '草堂街道', communities: ['浣花社区', '青华社区', '清水河社区'] },
  { county: '510104', name: '春熙路街道', communities: ['和平街社区', '科甲巷社区', '龙王庙社区'] },
];

/** The distinct characters of a string, in order of first appearance. */
function chars(text: string): readonly string[] {
  return [...new Set(text)];
}

// Syllable lists, as distinct characters so that every combination is drawn with the same chance.
export const STREET_FIRST = chars(
  '草春锦浣青金玉龙凤桂文华光新东西南北中双白红翠紫望永兴安和平福宁长清石柳桃梅莲荷沙河江湖天府蜀嘉瑞祥康泰乐顺盛丰源鹤鸣竹松柏杨槐桑万',
);
export const STREET_SECOND = chars('堂熙城溪桥坝湾林园泉峰岭坪塘堰营驿铺寺门关口里院坊沟岗场庙阁亭台渡洲滩坡井');
export const COMMUNITY_FIRST = chars(
  '浣青清和科龙金玉红翠紫望永兴安平福宁长石柳桃梅莲荷沙江湖天府嘉瑞祥康泰乐顺盛丰源鹤竹松柏杨槐桑万花草春锦文华光新东西南北中双白凤桂蜀鸣云星月阳明德仁义礼智信忠孝勤俭',
);
export const COMMUNITY_MIDDLE = chars('水花家河山林园桥竹石马牛龙凤莲桂锦玉金银星月');
export const COMMUNITY_SECOND = chars('花华园苑坊里巷街路林泉桥湾溪塘池井亭阁楼台门坝山岭坡岗坪营庄居新村河洲');
export const PROJECT_FIRST = chars(
  '锦翠华金银御雅碧蓝紫龙凤海天云星月阳光明君豪嘉悦盛世名都城湖山水江河溪泉林桂兰竹梅松柏景澜汇隆泰祥瑞福康宁和欣怡逸馨绣丽春秋东南西北',
);
export const PROJECT_SECOND = chars('江湖城苑庭园府山水林溪泉湾岸澜汇都港岛洲峰阁轩居苑邸院廷堂台门桥坊华锦绣丽景秀悦荟');
export const PROJECT_SUFFIXES = [
  '花园',
  '苑',
  '小区',
  '家园',
  '华庭',
  '名苑',
  '雅居',
  '公馆',
  '府',
  '新城',
  '广场',
  '国际',
  '尚城',
  '佳园',
  '景苑',
  '新村',
  '丽景',
  '一期',
  '二期',
  '三期',
  '东区',
  '西区',
  '大厦',
  '嘉园',
  '公寓',
];
export const COMPANY_FIRST = chars(
  '蜀信锦城天府华润嘉诚鑫泰安和康盛宏远恒通达瑞祥福兴隆邦德仁佳美悦新博合众鼎峰宇晟昊凯益源丰金中海龙鹏腾川蓉汇聚诺卓越久立民乐君豪景尚品优心居',
);
export const COMPANY_SECOND = chars('信诚达泰安和康盛宏远恒通瑞祥福兴隆邦德佳美悦新博众鼎峰宇晟凯益源丰海鹏腾川蓉汇聚诺卓越久立乐豪景尚品优居家园城府');
export const COMPANY_SUFFIXES = ['物业服务有限公司', '物业管理有限公司', '物业服务有限责任公司'];
export const COMPANY_GROUP_SUFFIX = '物业服务集团有限公司';
