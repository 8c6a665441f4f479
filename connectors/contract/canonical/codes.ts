/**
 * Closed code lists of the canonical model. Connectors map each source's own codes
 * onto these; the hub stores and exposes only these.
 */

/** Plate colour, transport-side numbering (JT/T 808/809, JT/T 697.7, national freight platform). */
export enum PlateColor {
  UNPLATED = 'UNPLATED',
  BLUE = 'BLUE',
  YELLOW = 'YELLOW',
  BLACK = 'BLACK',
  WHITE = 'WHITE',
  GREEN = 'GREEN',
  OTHER = 'OTHER',
  AGRICULTURAL_YELLOW = 'AGRICULTURAL_YELLOW',
  AGRICULTURAL_GREEN = 'AGRICULTURAL_GREEN',
  YELLOW_GREEN = 'YELLOW_GREEN',
  GRADIENT_GREEN = 'GRADIENT_GREEN',
}

/** JT/T numeric code of each colour: the transport system sends these numbers. */
export const PLATE_COLOR_JTT_CODE: Record<PlateColor, number> = {
  [PlateColor.UNPLATED]: 0,
  [PlateColor.BLUE]: 1,
  [PlateColor.YELLOW]: 2,
  [PlateColor.BLACK]: 3,
  [PlateColor.WHITE]: 4,
  [PlateColor.GREEN]: 5,
  [PlateColor.OTHER]: 9,
  [PlateColor.AGRICULTURAL_YELLOW]: 91,
  [PlateColor.AGRICULTURAL_GREEN]: 92,
  [PlateColor.YELLOW_GREEN]: 93,
  [PlateColor.GRADIENT_GREEN]: 94,
};

/** Registration status of an enterprise (market regulation). */
export enum EnterpriseStatus {
  /** 存续 / 在业 */
  IN_BUSINESS = 'IN_BUSINESS',
  /** 吊销 */
  REVOKED = 'REVOKED',
  /** 注销 */
  CANCELLED = 'CANCELLED',
  /** 迁出 */
  MOVED_OUT = 'MOVED_OUT',
}

/** Business scopes of a road transport operating licence. */
export enum LicenceScope {
  PASSENGER_SCHEDULED = 'PASSENGER_SCHEDULED',
  PASSENGER_CHARTER = 'PASSENGER_CHARTER',
  PASSENGER_TOURISM = 'PASSENGER_TOURISM',
  FREIGHT_GENERAL = 'FREIGHT_GENERAL',
  FREIGHT_SPECIALISED = 'FREIGHT_SPECIALISED',
  FREIGHT_OVERSIZE = 'FREIGHT_OVERSIZE',
  FREIGHT_DANGEROUS_GOODS = 'FREIGHT_DANGEROUS_GOODS',
  STATION_OPERATION = 'STATION_OPERATION',
  VEHICLE_REPAIR = 'VEHICLE_REPAIR',
  DRIVER_TRAINING = 'DRIVER_TRAINING',
}

export enum LicenceStatus {
  VALID = 'VALID',
  SUSPENDED = 'SUSPENDED',
  REVOKED = 'REVOKED',
  EXPIRED = 'EXPIRED',
}

/** Road transport certificate (道路运输证) state of a vehicle. */
export enum TransportCertificateStatus {
  VALID = 'VALID',
  EXPIRED = 'EXPIRED',
  REVOKED = 'REVOKED',
  /** No certificate: lawful for general-cargo vehicles of total mass ≤ 4.5 t since 2019. */
  NOT_REQUIRED = 'NOT_REQUIRED',
}

export enum QualificationCategory {
  PASSENGER_DRIVER = 'PASSENGER_DRIVER',
  FREIGHT_DRIVER = 'FREIGHT_DRIVER',
  DANGEROUS_GOODS_DRIVER = 'DANGEROUS_GOODS_DRIVER',
  DANGEROUS_GOODS_ESCORT = 'DANGEROUS_GOODS_ESCORT',
  TAXI_DRIVER = 'TAXI_DRIVER',
  DRIVING_INSTRUCTOR = 'DRIVING_INSTRUCTOR',
}

export enum PractitionerStatus {
  ACTIVE = 'ACTIVE',
  SUSPENDED = 'SUSPENDED',
  REVOKED = 'REVOKED',
}

export enum TravelDirection {
  NORTHBOUND = 'NORTHBOUND',
  SOUTHBOUND = 'SOUTHBOUND',
  EASTBOUND = 'EASTBOUND',
  WESTBOUND = 'WESTBOUND',
}

export enum CreditGrade {
  AA = 'AA',
  A = 'A',
  B = 'B',
  C = 'C',
  D = 'D',
}

export enum CreditListType {
  /** 严重失信主体名单 */
  SERIOUS_DISHONESTY = 'SERIOUS_DISHONESTY',
  /** 失信被执行人 */
  DISHONEST_JUDGMENT_DEBTOR = 'DISHONEST_JUDGMENT_DEBTOR',
  /** 经营异常名录 */
  ABNORMAL_OPERATION = 'ABNORMAL_OPERATION',
  /** 联合惩戒对象 */
  JOINT_SANCTION = 'JOINT_SANCTION',
}

export enum CaseStatus {
  REGISTERED = 'REGISTERED',
  INVESTIGATING = 'INVESTIGATING',
  PENALTY_DECIDED = 'PENALTY_DECIDED',
  CLOSED = 'CLOSED',
  TRANSFERRED = 'TRANSFERRED',
}

/** The upstream systems the hub syncs from. */
export enum SourceSystem {
  TRANSPORT = 'TRANSPORT',
  MARKET_REGISTRY = 'MARKET_REGISTRY',
  CREDIT_PLATFORM = 'CREDIT_PLATFORM',
  CHECKPOINT_EXCHANGE = 'CHECKPOINT_EXCHANGE',
}

/**
 * The system a record in the hub comes from: one of the upstream systems it syncs, or the hub
 * itself for what it derives and keeps as the system of record (supervision clues).
 */
export const RecordSystem = { ...SourceSystem, HUB: 'HUB' } as const;
export type RecordSystem = SourceSystem | typeof RecordSystem.HUB;
