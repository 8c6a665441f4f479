/**
 * Province-level divisions of GB/T 2260 (first two digits of every division code) with the
 * plate abbreviation of each mainland province (GA 36-2018).
 */
export interface Province {
  code: string;
  name: string;
  /** Licence-plate character; null where the mainland issues no plates. */
  plateAbbreviation: string | null;
}

export const PROVINCES: readonly Province[] = [
  { code: '110000', name: '北京市', plateAbbreviation: '京' },
  { code: '120000', name: '天津市', plateAbbreviation: '津' },
  { code: '130000', name: '河北省', plateAbbreviation: '冀' },
  { code: '140000', name: '山西省', plateAbbreviation: '晋' },
  { code: '150000', name: '内蒙古自治区', plateAbbreviation: '蒙' },
  { code: '210000', name: '辽宁省', plateAbbreviation: '辽' },
  { code: '220000', name: '吉林省', plateAbbreviation: '吉' },
  { code: '230000', name: '黑龙江省', plateAbbreviation: '黑' },
  { code: '310000', name: '上海市', plateAbbreviation: '沪' },
  { code: '320000', name: '江苏省', plateAbbreviation: '苏' },
  { code: '330000', name: '浙江省', plateAbbreviation: '浙' },
  { code: '340000', name: '安徽省', plateAbbreviation: '皖' },
  { code: '350000', name: '福建省', plateAbbreviation: '闽' },
  { code: '360000', name: '江西省', plateAbbreviation: '赣' },
  { code: '370000', name: '山东省', plateAbbreviation: '鲁' },
  { code: '410000', name: '河南省', plateAbbreviation: '豫' },
  { code: '420000', name: '湖北省', plateAbbreviation: '鄂' },
  { code: '430000', name: '湖南省', plateAbbreviation: '湘' },
  { code: '440000', name: '广东省', plateAbbreviation: '粤' },
  { code: '450000', name: '广西壮族自治区', plateAbbreviation: '桂' },
  { code: '460000', name: '海南省', plateAbbreviation: '琼' },
  { code: '500000', name: '重庆市', plateAbbreviation: '渝' },
  { code: '510000', name: '四川省', plateAbbreviation: '川' },
  { code: '520000', name: '贵州省', plateAbbreviation: '贵' },
  { code: '530000', name: '云南省', plateAbbreviation: '云' },
  { code: '540000', name: '西藏自治区', plateAbbreviation: '藏' },
  { code: '610000', name: '陕西省', plateAbbreviation: '陕' },
  { code: '620000', name: '甘肃省', plateAbbreviation: '甘' },
  { code: '630000', name: '青海省', plateAbbreviation: '青' },
  { code: '640000', name: '宁夏回族自治区', plateAbbreviation: '宁' },
  { code: '650000', name: '新疆维吾尔自治区', plateAbbreviation: '新' },
  { code: '710000', name: '台湾省', plateAbbreviation: null },
  { code: '810000', name: '香港特别行政区', plateAbbreviation: null },
  { code: '820000', name: '澳门特别行政区', plateAbbreviation: null },
];

const BY_PREFIX = new Map(PROVINCES.map((p) => [p.code.slice(0, 2), p]));
const BY_PLATE = new Map(PROVINCES.filter((p) => p.plateAbbreviation).map((p) => [p.plateAbbreviation!, p]));

export function provinceByPrefix(twoDigits: string): Province | undefined {
  return BY_PREFIX.get(twoDigits);
}

export function provinceByPlateAbbreviation(abbreviation: string): Province | undefined {
  return BY_PLATE.get(abbreviation);
}
