import { LicenceScope } from '../../../connectors/contract/canonical/codes';

/** What an enterprise does in the world; decides its licence scopes, fleet and staff. */
export enum EnterpriseProfile {
  FREIGHT = 'FREIGHT',
  DANGEROUS_GOODS = 'DANGEROUS_GOODS',
  PASSENGER = 'PASSENGER',
  DRIVER_TRAINING = 'DRIVER_TRAINING',
  VEHICLE_REPAIR = 'VEHICLE_REPAIR',
  STATION = 'STATION',
  /** Not a transport operator: holds no licence, may own company cars and light trucks. */
  OTHER = 'OTHER',
}

/** Share of enterprises per profile; operators hold about 1.5 licences each over their history. */
export const PROFILE_SHARES: readonly (readonly [EnterpriseProfile, number])[] = [
  [EnterpriseProfile.FREIGHT, 0.42],
  [EnterpriseProfile.DANGEROUS_GOODS, 0.05],
  [EnterpriseProfile.PASSENGER, 0.06],
  [EnterpriseProfile.DRIVER_TRAINING, 0.03],
  [EnterpriseProfile.VEHICLE_REPAIR, 0.1],
  [EnterpriseProfile.STATION, 0.01],
  [EnterpriseProfile.OTHER, 0.33],
];

export function isOperator(profile: EnterpriseProfile): boolean {
  return profile !== EnterpriseProfile.OTHER;
}

/** Scope choices per profile, with weights. */
export const SCOPE_OPTIONS: Record<EnterpriseProfile, readonly (readonly [LicenceScope[], number])[]> = {
  [EnterpriseProfile.FREIGHT]: [
    [[LicenceScope.FREIGHT_GENERAL], 70],
    [[LicenceScope.FREIGHT_GENERAL, LicenceScope.FREIGHT_SPECIALISED], 20],
    [[LicenceScope.FREIGHT_GENERAL, LicenceScope.FREIGHT_OVERSIZE], 6],
    [[LicenceScope.FREIGHT_GENERAL, LicenceScope.FREIGHT_SPECIALISED, LicenceScope.FREIGHT_OVERSIZE], 4],
  ],
  [EnterpriseProfile.DANGEROUS_GOODS]: [
    [[LicenceScope.FREIGHT_DANGEROUS_GOODS], 50],
    [[LicenceScope.FREIGHT_GENERAL, LicenceScope.FREIGHT_DANGEROUS_GOODS], 50],
  ],
  [EnterpriseProfile.PASSENGER]: [
    [[LicenceScope.PASSENGER_CHARTER], 35],
    [[LicenceScope.PASSENGER_SCHEDULED, LicenceScope.PASSENGER_CHARTER], 30],
    [[LicenceScope.PASSENGER_TOURISM, LicenceScope.PASSENGER_CHARTER], 25],
    [[LicenceScope.PASSENGER_TOURISM], 10],
  ],
  [EnterpriseProfile.DRIVER_TRAINING]: [[[LicenceScope.DRIVER_TRAINING], 1]],
  [EnterpriseProfile.VEHICLE_REPAIR]: [[[LicenceScope.VEHICLE_REPAIR], 1]],
  [EnterpriseProfile.STATION]: [[[LicenceScope.STATION_OPERATION], 1]],
  [EnterpriseProfile.OTHER]: [[[], 1]],
};

/** Registry business-scope text per profile (the wording of Suzhou business licences). */
export const BUSINESS_SCOPE_TEXT: Record<EnterpriseProfile, readonly string[]> = {
  [EnterpriseProfile.FREIGHT]: [
    '许可项目：道路货物运输（不含危险货物）。一般项目：国内货物运输代理；装卸搬运；普通货物仓储服务（不含危险化学品等需许可审批的项目）。',
    '许可项目：道路货物运输（不含危险货物）。一般项目：供应链管理服务；国际货物运输代理；集装箱租赁服务。',
  ],
  [EnterpriseProfile.DANGEROUS_GOODS]: ['许可项目：道路危险货物运输；道路货物运输（不含危险货物）。一般项目：化工产品销售（不含许可类化工产品）。'],
  [EnterpriseProfile.PASSENGER]: [
    '许可项目：道路旅客运输经营；城市公共交通。一般项目：汽车租赁；旅客票务代理。',
    '许可项目：道路旅客运输经营。一般项目：旅游开发项目策划咨询；小微型客车租赁经营服务。',
  ],
  [EnterpriseProfile.DRIVER_TRAINING]: ['许可项目：机动车驾驶员培训。一般项目：停车场服务；机动车驾驶人考试场地服务。'],
  [EnterpriseProfile.VEHICLE_REPAIR]: ['许可项目：机动车检验检测服务。一般项目：机动车修理和维护；汽车零配件零售；洗车服务。'],
  [EnterpriseProfile.STATION]: ['许可项目：道路旅客运输站经营。一般项目：停车场服务；物业管理；广告发布。'],
  [EnterpriseProfile.OTHER]: [
    '一般项目：电子元器件制造；电子产品销售；技术服务、技术开发、技术咨询、技术交流、技术转让、技术推广。',
    '一般项目：通用设备制造（不含特种设备制造）；机械零件、零部件加工；金属材料销售。',
    '一般项目：纺织品、针织品及原料销售；服装制造；货物进出口；技术进出口。',
    '一般项目：建筑材料销售；五金产品批发；日用百货销售；食品销售（仅销售预包装食品）。',
    '许可项目：建设工程施工。一般项目：园林绿化工程施工；市政设施管理。',
  ],
};
