import { EnterpriseProfile } from './profiles';
import { Random } from './random';

/** Characters of Chinese trade names (字号), combined two at a time. */
const TRADE_NAME_CHARS = '恒达顺通远宏盛鑫华安捷运畅丰联新金泰中吴港海瑞祥隆兴昌嘉诚信德万佳荣正汇国路东方宇航凯锦润永昊众和益鼎力';

const INDUSTRY_WORDS: Record<EnterpriseProfile, readonly string[]> = {
  [EnterpriseProfile.FREIGHT]: ['物流', '运输', '货运', '供应链管理', '集装箱运输', '物流发展'],
  [EnterpriseProfile.DANGEROUS_GOODS]: ['危险品运输', '化工物流', '危险货物运输'],
  [EnterpriseProfile.PASSENGER]: ['客运', '旅游客运', '汽车运输', '公交客运'],
  [EnterpriseProfile.DRIVER_TRAINING]: ['驾驶培训', '机动车驾驶员培训', '驾校'],
  [EnterpriseProfile.VEHICLE_REPAIR]: ['汽车维修', '汽车服务', '机动车维修'],
  [EnterpriseProfile.STATION]: ['汽车客运站', '客运站管理'],
  [EnterpriseProfile.OTHER]: ['科技', '电子', '机械', '纺织', '贸易', '建设工程', '食品', '精密制造', '软件', '服饰', '新材料', '光电', '环保科技'],
};

/** A company name such as 昆山顺通物流有限公司; `taken` keeps names unique across the world. */
export function companyName(rng: Random, profile: EnterpriseProfile, prefixes: readonly string[], suffix: string, taken: Set<string>): string {
  for (let attempt = 0; ; attempt++) {
    const length = attempt < 20 ? 2 : 3;
    const trade = rng.chars(TRADE_NAME_CHARS, length);
    if (trade[0] === trade[1]) continue;
    const name = `${rng.pick(prefixes)}${trade}${rng.pick(INDUSTRY_WORDS[profile])}${suffix}`;
    if (!taken.has(name)) {
      taken.add(name);
      return name;
    }
  }
}
