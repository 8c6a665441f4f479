import {
  CaseStatus,
  CreditGrade,
  CreditListType,
  EnterpriseStatus,
  LicenceScope,
  LicenceStatus,
  PlateColor,
  PractitionerStatus,
  QualificationCategory,
  TransportCertificateStatus,
  TravelDirection,
} from './codes';

/**
 * Canonical records: what a connector yields and what the hub stores. Dates are ISO strings
 * (`YYYY-MM-DD` for dates, full ISO 8601 with offset for instants) so records serialise
 * byte-identically. References across systems are natural keys, never database ids, because
 * each agency's system syncs on its own schedule and a reference may arrive before its target.
 */

export interface EnterpriseRecord {
  uscc: string;
  name: string;
  /** e.g. 有限责任公司, 股份有限公司, 个体工商户 */
  type: string;
  status: EnterpriseStatus;
  legalRepresentative: string;
  /** Registered capital in yuan. */
  registeredCapitalYuan: number;
  establishedOn: string;
  address: string;
  divisionCode: string;
  businessScope: string;
  updatedAt: string;
}

export interface AbnormalOperationRecord {
  sourceId: string;
  uscc: string;
  reason: string;
  authority: string;
  listedOn: string;
  removedOn: string | null;
  updatedAt: string;
}

export interface OperatorLicenceRecord {
  number: string;
  holderUscc: string;
  scopes: LicenceScope[];
  issuingAuthority: string;
  validFrom: string;
  validTo: string;
  status: LicenceStatus;
  updatedAt: string;
}

export interface VehicleRecord {
  plateNumber: string;
  plateColor: PlateColor;
  vin: string;
  /** GA 802 vehicle type code, e.g. H11, K33, Q11. */
  vehicleType: string;
  ownerUscc: string | null;
  transportCertificateNumber: string | null;
  transportCertificateStatus: TransportCertificateStatus;
  transportCertificateValidTo: string | null;
  axleCount: number;
  ratedTotalMassKg: number;
  registrationDivision: string;
  /** Division whose transport bureau issued the road transport certificate; null without one. */
  transportCertificateDivision: string | null;
  updatedAt: string;
}

export interface PractitionerRecord {
  idNumber: string;
  name: string;
  phone: string | null;
  qualificationCategory: QualificationCategory;
  certificateNumber: string;
  employerUscc: string | null;
  status: PractitionerStatus;
  updatedAt: string;
}

export interface CheckpointRecord {
  code: string;
  name: string;
  road: string;
  direction: TravelDirection;
  latitude: number;
  longitude: number;
  divisionCode: string;
  updatedAt: string;
}

export interface CaptureRecord {
  /** The exchange database's monotonically increasing serial. */
  serial: number;
  checkpointCode: string;
  plateNumber: string;
  plateColor: PlateColor;
  capturedAt: string;
  direction: TravelDirection;
  lane: number;
  speedKmh: number;
  imageRef: string;
}

export interface CreditRatingRecord {
  sourceId: string;
  subjectUscc: string;
  /** The Jiangsu grade the source's own scale maps to. */
  grade: CreditGrade;
  /** The grade as the rating authority states it, on its own scale (e.g. `AA级`). */
  sourceGrade: string;
  score: number;
  /** Penalty points of the year, where the scale uses them (B versus C below 60). */
  penaltyPoints: number | null;
  year: number;
  ratingAuthority: string;
  updatedAt: string;
}

export interface CreditListEntryRecord {
  sourceId: string;
  subjectUscc: string;
  listType: CreditListType;
  reason: string;
  authority: string;
  listedOn: string;
  removedOn: string | null;
  updatedAt: string;
}

export interface EnforcementCaseRecord {
  caseNumber: string;
  violationCode: string;
  violationType: string;
  partyUscc: string | null;
  partyIdNumber: string | null;
  vehiclePlateNumber: string | null;
  vehiclePlateColor: PlateColor | null;
  occurredAt: string;
  divisionCode: string;
  status: CaseStatus;
  penaltyAmountYuan: number | null;
  /** When the penalty was decided (行政处罚决定日期), once it is; kept when the case is closed. */
  decidedAt: string | null;
  transferredToPolice: boolean;
  /** When the case was handed to the police (两法衔接), once it is. */
  transferredAt: string | null;
  /** The police unit that received it (接收单位), once transferred. */
  receivingPoliceUnit: string | null;
  summary: string;
  updatedAt: string;
}

export interface WeighingRecord {
  sourceId: string;
  stationCode: string;
  stationName: string;
  /** Division the station stands in. */
  stationDivisionCode: string;
  plateNumber: string;
  plateColor: PlateColor;
  axleCount: number;
  measuredTotalMassKg: number;
  limitKg: number;
  overloadKg: number;
  /** overloadKg / limitKg, rounded to 4 decimals; 0 when not overloaded. */
  overloadRatio: number;
  measuredAt: string;
  updatedAt: string;
}
