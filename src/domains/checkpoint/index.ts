export { Checkpoint } from './checkpoint.entity';
export { CheckpointCapture } from './checkpoint-capture.entity';
export { CheckpointRepository, CAPTURE_ORDERINGS } from './checkpoint.repository';
export { createCheckpointLoaders, type CheckpointLoaders } from './checkpoint.loaders';
export { CheckpointResolver, CheckpointCaptureResolver, VehicleCapturesResolver } from './checkpoint.resolver';
export type { CheckpointContext } from './checkpoint.resolver';
export { MAX_CAPTURE_WINDOW_DAYS } from './checkpoint.args';
