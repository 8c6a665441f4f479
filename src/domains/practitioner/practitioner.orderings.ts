import { orderings, type OrderName } from '../../read-kit/pagination';
import { Practitioner } from './practitioner.entity';

/** How a list of practitioners can be ordered. */
export const practitionerOrderings = orderings(() => Practitioner, 'PractitionerOrder', {
  // The content hash is unique per record and follows no value a caller could compare.
  RECORD_HASH: {
    direction: 'asc',
    keys: [{ property: 'provenance', column: 'provenance_content_hash', type: 'text', value: (p) => p.provenance.contentHash, opaque: true }],
    description: 'By a hash of each record: stable from page to page, and following no field, so open to callers who see identifiers masked.',
  },
  CERTIFICATE_NUMBER_ASC: {
    direction: 'asc',
    keys: [
      { property: 'certificateNumber', column: 'certificate_number', type: 'text', value: (p) => p.certificateNumber },
      { property: 'idNumber', column: 'id_number', type: 'text', value: (p) => p.idNumber },
    ],
    description: 'By certificate number, then ID number: only for callers granted both in full.',
  },
});

export type PractitionerOrderName = OrderName<typeof practitionerOrderings>;
