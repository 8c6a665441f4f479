import { registerEnumType } from 'type-graphql';
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
  RecordSystem,
  SourceSystem,
  TransportCertificateStatus,
  TravelDirection,
} from '../../../connectors/contract/canonical/codes';

// The canonical code lists are plain TS enums shared with the connectors; registering them here
// gives them their GraphQL names once, before any type that uses them is built.
registerEnumType(PlateColor, { name: 'PlateColor', description: 'Plate colour (JT/T 808 numbering on the transport side).' });
registerEnumType(EnterpriseStatus, { name: 'EnterpriseStatus', description: 'Registration status: 存续/在业, 吊销, 注销, 迁出.' });
registerEnumType(LicenceScope, { name: 'LicenceScope', description: 'Business scope of a road transport operating licence.' });
registerEnumType(LicenceStatus, { name: 'LicenceStatus' });
registerEnumType(TransportCertificateStatus, { name: 'TransportCertificateStatus' });
registerEnumType(QualificationCategory, { name: 'QualificationCategory' });
registerEnumType(PractitionerStatus, { name: 'PractitionerStatus' });
registerEnumType(TravelDirection, { name: 'TravelDirection' });
registerEnumType(CreditGrade, { name: 'CreditGrade', description: 'Jiangsu operator credit grade.' });
registerEnumType(CreditListType, { name: 'CreditListType' });
registerEnumType(CaseStatus, { name: 'CaseStatus' });
registerEnumType(SourceSystem, { name: 'SourceSystem', description: 'The upstream agency system a record was synced from.' });
registerEnumType(RecordSystem, {
  name: 'RecordSystem',
  description: 'Where a record comes from: an upstream agency system, or the hub itself (HUB) for what it derives.',
});

export {
  CaseStatus,
  CreditGrade,
  CreditListType,
  EnterpriseStatus,
  LicenceScope,
  LicenceStatus,
  PlateColor,
  PractitionerStatus,
  QualificationCategory,
  RecordSystem,
  SourceSystem,
  TransportCertificateStatus,
  TravelDirection,
};
