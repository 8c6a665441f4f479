/**
 * The districts of Suzhou as the world uses them: where enterprises register, where roads
 * run, where checkpoints stand. Coordinates are rough district centres (WGS-84).
 */
export interface SuzhouDistrict {
  /** Division in credit codes and licence numbers; 320594 for the Park, as observed in real codes. */
  code: string;
  /** Division stored on records (the Park's current statistics code 320576 instead of 320594). */
  recordCode: string;
  name: string;
  /** Address prefix below 江苏省. */
  addressPrefix: string;
  /** How local company names start (苏州…, 昆山…, 苏州市吴江区…). */
  companyPrefixes: readonly string[];
  /** Transport bureau issuing district-level licences. */
  transportAuthority: string;
  marketAuthority: string;
  court: string;
  centre: readonly [number, number];
  /** Half-width of the box checkpoints are scattered in, degrees. */
  spread: number;
  streets: readonly string[];
  towns: readonly string[];
  /** Relative share of registered enterprises. */
  weight: number;
}

export const SUZHOU_DISTRICTS: readonly SuzhouDistrict[] = [
  {
    code: '320505',
    recordCode: '320505',
    name: '虎丘区',
    addressPrefix: '苏州市虎丘区',
    companyPrefixes: ['苏州', '苏州高新区'],
    transportAuthority: '苏州市虎丘区交通运输局',
    marketAuthority: '苏州市虎丘区市场监督管理局',
    court: '苏州市虎丘区人民法院',
    centre: [31.33, 120.46],
    spread: 0.06,
    streets: ['长江路', '狮山路', '珠江路', '滨河路', '金山路', '竹园路', '玉山路', '湘江路'],
    towns: ['浒墅关', '通安', '东渚', '枫桥', '狮山', '镇湖'],
    weight: 10,
  },
  {
    code: '320506',
    recordCode: '320506',
    name: '吴中区',
    addressPrefix: '苏州市吴中区',
    companyPrefixes: ['苏州', '苏州市吴中区'],
    transportAuthority: '苏州市吴中区交通运输局',
    marketAuthority: '苏州市吴中区市场监督管理局',
    court: '苏州市吴中区人民法院',
    centre: [31.2, 120.55],
    spread: 0.1,
    streets: ['东吴北路', '宝带西路', '吴中大道', '苏蠡路', '木东公路', '天鹅荡路', '东方大道'],
    towns: ['木渎', '甪直', '胥口', '临湖', '郭巷', '越溪', '横泾'],
    weight: 12,
  },
  {
    code: '320507',
    recordCode: '320507',
    name: '相城区',
    addressPrefix: '苏州市相城区',
    companyPrefixes: ['苏州', '苏州市相城区'],
    transportAuthority: '苏州市相城区交通运输局',
    marketAuthority: '苏州市相城区市场监督管理局',
    court: '苏州市相城区人民法院',
    centre: [31.42, 120.62],
    spread: 0.07,
    streets: ['相城大道', '华元路', '嘉元路', '澄阳路', '太阳路', '富元路'],
    towns: ['渭塘', '黄埭', '望亭', '北桥', '太平', '阳澄湖'],
    weight: 8,
  },
  {
    code: '320508',
    recordCode: '320508',
    name: '姑苏区',
    addressPrefix: '苏州市姑苏区',
    companyPrefixes: ['苏州', '苏州市姑苏区'],
    transportAuthority: '苏州市姑苏区交通运输局',
    marketAuthority: '苏州市姑苏区市场监督管理局',
    court: '苏州市姑苏区人民法院',
    centre: [31.31, 120.61],
    spread: 0.025,
    streets: ['人民路', '干将西路', '十全街', '道前街', '广济南路', '学士街', '三香路'],
    towns: ['平江', '金阊', '沧浪', '双塔', '石路', '虎丘'],
    weight: 6,
  },
  {
    code: '320509',
    recordCode: '320509',
    name: '吴江区',
    addressPrefix: '苏州市吴江区',
    companyPrefixes: ['苏州市吴江区', '吴江'],
    transportAuthority: '苏州市吴江区交通运输局',
    marketAuthority: '苏州市吴江区市场监督管理局',
    court: '苏州市吴江区人民法院',
    centre: [30.98, 120.63],
    spread: 0.12,
    streets: ['中山南路', '仲英大道', '开平路', '笠泽路', '鲈乡南路', '流虹路'],
    towns: ['松陵', '同里', '平望', '盛泽', '震泽', '黎里', '汾湖'],
    weight: 12,
  },
  {
    code: '320581',
    recordCode: '320581',
    name: '常熟市',
    addressPrefix: '苏州市常熟市',
    companyPrefixes: ['常熟', '常熟市'],
    transportAuthority: '常熟市交通运输局',
    marketAuthority: '常熟市市场监督管理局',
    court: '常熟市人民法院',
    centre: [31.65, 120.75],
    spread: 0.12,
    streets: ['海虞北路', '黄河路', '东南大道', '青墩塘路', '衡山路', '虞山北路'],
    towns: ['虞山', '梅李', '海虞', '古里', '支塘', '辛庄', '尚湖'],
    weight: 10,
  },
  {
    code: '320582',
    recordCode: '320582',
    name: '张家港市',
    addressPrefix: '苏州市张家港市',
    companyPrefixes: ['张家港', '张家港市'],
    transportAuthority: '张家港市交通运输局',
    marketAuthority: '张家港市市场监督管理局',
    court: '张家港市人民法院',
    centre: [31.86, 120.55],
    spread: 0.1,
    streets: ['人民中路', '长安南路', '暨阳西路', '港城大道', '沙洲西路', '国泰北路'],
    towns: ['杨舍', '塘桥', '锦丰', '凤凰', '乐余', '金港', '南丰'],
    weight: 10,
  },
  {
    code: '320583',
    recordCode: '320583',
    name: '昆山市',
    addressPrefix: '苏州市昆山市',
    companyPrefixes: ['昆山', '昆山市'],
    transportAuthority: '昆山市交通运输局',
    marketAuthority: '昆山市市场监督管理局',
    court: '昆山市人民法院',
    centre: [31.38, 120.97],
    spread: 0.1,
    streets: ['前进西路', '柏庐南路', '马鞍山中路', '黄浦江南路', '萧林中路', '祖冲之南路'],
    towns: ['玉山', '花桥', '周市', '陆家', '巴城', '千灯', '张浦', '周庄'],
    weight: 14,
  },
  {
    code: '320585',
    recordCode: '320585',
    name: '太仓市',
    addressPrefix: '苏州市太仓市',
    companyPrefixes: ['太仓', '太仓市'],
    transportAuthority: '太仓市交通运输局',
    marketAuthority: '太仓市市场监督管理局',
    court: '太仓市人民法院',
    centre: [31.5, 121.12],
    spread: 0.09,
    streets: ['上海东路', '郑和中路', '常胜北路', '北京东路', '太平北路', '半泾路'],
    towns: ['城厢', '浏河', '沙溪', '璜泾', '双凤', '浮桥'],
    weight: 6,
  },
  {
    code: '320594',
    recordCode: '320576',
    name: '苏州工业园区',
    addressPrefix: '苏州市苏州工业园区',
    companyPrefixes: ['苏州', '苏州工业园区'],
    transportAuthority: '苏州工业园区交通运输局',
    marketAuthority: '苏州工业园区市场监督管理局',
    court: '苏州工业园区人民法院',
    centre: [31.32, 120.73],
    spread: 0.05,
    streets: ['星湖街', '现代大道', '苏州大道东', '金鸡湖大道', '星港街', '通园路', '东平街', '方洲路'],
    towns: ['唯亭', '胜浦', '斜塘', '娄葑', '金鸡湖'],
    weight: 12,
  },
];

/** Districts with their enterprise shares, ready for a weighted draw. */
export const DISTRICT_SHARES: readonly (readonly [SuzhouDistrict, number])[] = SUZHOU_DISTRICTS.map((d) => [d, d.weight] as const);

export const SUZHOU_CITY_CODE = '320500';
export const SUZHOU_TRANSPORT_BUREAU = '苏州市交通运输局';

/** Suzhou's extent, used to keep generated coordinates inside the city. */
export const SUZHOU_BOUNDS = { minLat: 30.75, maxLat: 32.05, minLon: 119.9, maxLon: 121.35 } as const;

export function districtByCode(code: string): SuzhouDistrict {
  const district = SUZHOU_DISTRICTS.find((d) => d.code === code || d.recordCode === code);
  if (!district) throw new RangeError(`not a Suzhou district of the world: ${code}`);
  return district;
}
