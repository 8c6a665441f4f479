import { instant, orderings, type OrderName } from '../../read-kit/pagination';
import { CheckpointCapture } from './checkpoint-capture.entity';

const captureKeys = [
  { property: 'capturedAt', column: 'captured_at', type: 'instant', value: (c: CheckpointCapture) => instant(c.capturedAt) },
  { property: 'sourceSerial', column: 'source_serial', type: 'bigint', value: (c: CheckpointCapture) => String(c.sourceSerial) },
] as const;

/** Capture orderings; the exchange serial breaks ties within one instant. */
export const captureOrderings = orderings(() => CheckpointCapture, 'CaptureOrder', {
  CAPTURED_AT_DESC: { direction: 'desc', keys: captureKeys },
  CAPTURED_AT_ASC: { direction: 'asc', keys: captureKeys },
});

export type CaptureOrderName = OrderName<typeof captureOrderings>;

/** A vehicle's captures are read newest first. */
export const CAPTURE_ORDERING = captureOrderings.ordering('CAPTURED_AT_DESC');
