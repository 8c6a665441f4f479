/**
 * The violations the world's enforcement cases are about. Codes are this world's own
 * (T + 4 digits), not a national code list; fines follow the Road Transport Regulations' ranges
 * loosely.
 */
export type ViolationSubject =
  /** Any vehicle with a road transport certificate; the owner is the party. */
  | 'CERTIFIED_VEHICLE'
  /** A vehicle whose certificate has expired or been revoked. */
  | 'INVALID_CERTIFICATE'
  | 'PASSENGER_VEHICLE'
  | 'DANGEROUS_GOODS_VEHICLE'
  /** A driver whose qualification is suspended or revoked, caught driving a certified vehicle. */
  | 'UNQUALIFIED_DRIVER'
  /** Someone without a licence operating freight: a non-operator enterprise or a self-employed driver. */
  | 'UNLICENSED'
  | 'REPAIR_SHOP'
  | 'DRIVING_SCHOOL'
  /** Overloading, from a weighing. */
  | 'OVERLOAD';

export interface Violation {
  code: string;
  name: string;
  subject: ViolationSubject;
  fineYuan: readonly [number, number];
  /** Relative frequency among cases not raised from weighings. */
  weight: number;
  /** Share of cases handed to the police as suspected crimes (两法衔接). */
  transferShare: number;
  /** Credit penalty points the case costs the operator once decided. */
  penaltyPoints: number;
}

export const OVERLOAD_VIOLATION: Violation = {
  code: 'T8001',
  name: '货运车辆违法超限运输',
  subject: 'OVERLOAD',
  fineYuan: [500, 30000],
  weight: 0,
  transferShare: 0,
  penaltyPoints: 5,
};

export const VIOLATIONS: readonly Violation[] = [
  {
    code: 'T1001',
    name: '道路运输车辆未随车携带道路运输证',
    subject: 'CERTIFIED_VEHICLE',
    fineYuan: [20, 200],
    weight: 18,
    transferShare: 0,
    penaltyPoints: 1,
  },
  {
    code: 'T1002',
    name: '使用失效的道路运输证从事道路运输经营',
    subject: 'INVALID_CERTIFICATE',
    fineYuan: [3000, 10000],
    weight: 8,
    transferShare: 0,
    penaltyPoints: 10,
  },
  {
    code: 'T1003',
    name: '使用伪造、变造的道路运输证',
    subject: 'CERTIFIED_VEHICLE',
    fineYuan: [3000, 10000],
    weight: 2,
    transferShare: 0.5,
    penaltyPoints: 20,
  },
  {
    code: 'T2001',
    name: '未取得道路运输经营许可擅自从事道路货物运输经营',
    subject: 'UNLICENSED',
    fineYuan: [3000, 10000],
    weight: 6,
    transferShare: 0,
    penaltyPoints: 0,
  },
  {
    code: 'T2002',
    name: '超越许可事项从事道路运输经营',
    subject: 'CERTIFIED_VEHICLE',
    fineYuan: [2000, 10000],
    weight: 5,
    transferShare: 0,
    penaltyPoints: 10,
  },
  {
    code: 'T3001',
    name: '客运车辆不按批准的客运站点停靠或者不按规定的线路行驶',
    subject: 'PASSENGER_VEHICLE',
    fineYuan: [1000, 3000],
    weight: 8,
    transferShare: 0,
    penaltyPoints: 5,
  },
  {
    code: 'T3002',
    name: '客运包车未持有效包车客运标志牌进行经营',
    subject: 'PASSENGER_VEHICLE',
    fineYuan: [1000, 3000],
    weight: 4,
    transferShare: 0,
    penaltyPoints: 5,
  },
  {
    code: 'T4001',
    name: '危险货物运输车辆未按规定配备押运人员',
    subject: 'DANGEROUS_GOODS_VEHICLE',
    fineYuan: [5000, 20000],
    weight: 3,
    transferShare: 0,
    penaltyPoints: 20,
  },
  { code: 'T4002', name: '非法运输危险货物', subject: 'DANGEROUS_GOODS_VEHICLE', fineYuan: [50000, 100000], weight: 1, transferShare: 0.6, penaltyPoints: 30 },
  {
    code: 'T5001',
    name: '驾驶人员未取得相应从业资格证件驾驶道路运输车辆',
    subject: 'UNQUALIFIED_DRIVER',
    fineYuan: [200, 2000],
    weight: 6,
    transferShare: 0,
    penaltyPoints: 5,
  },
  {
    code: 'T6001',
    name: '机动车维修经营者未按规定建立机动车维修档案',
    subject: 'REPAIR_SHOP',
    fineYuan: [1000, 5000],
    weight: 4,
    transferShare: 0,
    penaltyPoints: 5,
  },
  {
    code: 'T7001',
    name: '机动车驾驶员培训机构未按照规定记录学员培训学时',
    subject: 'DRIVING_SCHOOL',
    fineYuan: [1000, 3000],
    weight: 4,
    transferShare: 0,
    penaltyPoints: 5,
  },
];
