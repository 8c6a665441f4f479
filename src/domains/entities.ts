import type { EntityModel } from '../db/orm-options';
import { AbnormalOperation } from './enterprise/abnormal-operation.entity';
import { Enterprise } from './enterprise/enterprise.entity';
import { OperatorLicence } from './licence/licence.entity';
import { Vehicle } from './vehicle/vehicle.entity';
import { Practitioner } from './practitioner/practitioner.entity';
import { Checkpoint } from './checkpoint/checkpoint.entity';
import { CheckpointCapture } from './checkpoint/checkpoint-capture.entity';
import { CreditRating } from './credit/credit-rating.entity';
import { CreditListEntry } from './credit/credit-list-entry.entity';
import { EnforcementCase } from './enforcement/enforcement-case.entity';
import { Weighing } from './weighing/weighing.entity';
import { Provenance } from './common/provenance';

/** The canonical model's entities and embeddables, as the database is opened with them (`openDatabase`). */
export const canonicalModel: EntityModel = {
  all: [
    Enterprise, AbnormalOperation, OperatorLicence, Vehicle, Practitioner, Checkpoint, CheckpointCapture, CreditRating,
    CreditListEntry, EnforcementCase, Weighing, Provenance,
  ],
};
