/**
 * Division codes the hub meets below province level: Suzhou (current, retired and the
 * Industrial Park's non-GB/T 2260 codes) and its neighbours.
 */
export interface Division {
  code: string;
  name: string;
  /** City-level parent, e.g. 320500; null for the cities themselves. */
  parent: string | null;
  /** No longer assigned, but still printed on old resident ID numbers and records. */
  retired: boolean;
}

const SUZHOU = '320500';

/** Suzhou Industrial Park is not in GB/T 2260: 320571 statistics code until 2022, 320576 from 2023, 320594 inside company credit codes. */
export const SUZHOU_INDUSTRIAL_PARK_CODES: readonly string[] = ['320571', '320576', '320594'];

export const DIVISIONS: readonly Division[] = [
  { code: SUZHOU, name: '苏州市', parent: null, retired: false },
  { code: '320505', name: '虎丘区', parent: SUZHOU, retired: false },
  { code: '320506', name: '吴中区', parent: SUZHOU, retired: false },
  { code: '320507', name: '相城区', parent: SUZHOU, retired: false },
  { code: '320508', name: '姑苏区', parent: SUZHOU, retired: false },
  { code: '320509', name: '吴江区', parent: SUZHOU, retired: false },
  { code: '320581', name: '常熟市', parent: SUZHOU, retired: false },
  { code: '320582', name: '张家港市', parent: SUZHOU, retired: false },
  { code: '320583', name: '昆山市', parent: SUZHOU, retired: false },
  { code: '320585', name: '太仓市', parent: SUZHOU, retired: false },
  { code: '320571', name: '苏州工业园区', parent: SUZHOU, retired: true },
  { code: '320576', name: '苏州工业园区', parent: SUZHOU, retired: false },
  { code: '320594', name: '苏州工业园区', parent: SUZHOU, retired: false },
  // Merged into 姑苏区 (2012), 吴江区 (2012), 吴中区/相城区 (2001) and 虎丘区 (2000).
  { code: '320502', name: '沧浪区', parent: SUZHOU, retired: true },
  { code: '320503', name: '平江区', parent: SUZHOU, retired: true },
  { code: '320504', name: '金阊区', parent: SUZHOU, retired: true },
  { code: '320584', name: '吴江市', parent: SUZHOU, retired: true },
  { code: '320586', name: '吴县市', parent: SUZHOU, retired: true },
  { code: '320511', name: '郊区', parent: SUZHOU, retired: true },

  { code: '320100', name: '南京市', parent: null, retired: false },
  { code: '320102', name: '玄武区', parent: '320100', retired: false },
  { code: '320106', name: '鼓楼区', parent: '320100', retired: false },
  { code: '320200', name: '无锡市', parent: null, retired: false },
  { code: '320211', name: '滨湖区', parent: '320200', retired: false },
  { code: '320281', name: '江阴市', parent: '320200', retired: false },
  { code: '320282', name: '宜兴市', parent: '320200', retired: false },
  { code: '310101', name: '黄浦区', parent: '310000', retired: false },
  { code: '310104', name: '徐汇区', parent: '310000', retired: false },
  { code: '310112', name: '闵行区', parent: '310000', retired: false },
  { code: '310115', name: '浦东新区', parent: '310000', retired: false },
  { code: '310117', name: '松江区', parent: '310000', retired: false },
  { code: '310118', name: '青浦区', parent: '310000', retired: false },
  { code: '330100', name: '杭州市', parent: null, retired: false },
  { code: '330106', name: '西湖区', parent: '330100', retired: false },
  { code: '330400', name: '嘉兴市', parent: null, retired: false },
  { code: '330402', name: '南湖区', parent: '330400', retired: false },
  { code: '330421', name: '嘉善县', parent: '330400', retired: false },
  { code: '330482', name: '平湖市', parent: '330400', retired: false },
  { code: '340100', name: '合肥市', parent: null, retired: false },
  { code: '340104', name: '蜀山区', parent: '340100', retired: false },
  { code: '340111', name: '包河区', parent: '340100', retired: false },
];
