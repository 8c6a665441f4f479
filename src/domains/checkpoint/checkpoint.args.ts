import { Tests } from '../../read-kit/fields/argument-tests';
import { ArgsType, Field, InputType } from 'type-graphql';
import { PlateColor } from '../common/enums';
import { PageArgs } from '../../read-kit/pagination';
import { captureOrderings, type CaptureOrderName } from './checkpoint.orderings';

/** Longest capture window one request may read. */
export const MAX_CAPTURE_WINDOW_DAYS = 31;

@InputType({ description: `Captures in a half-open window [from, to) of at most ${MAX_CAPTURE_WINDOW_DAYS} days.` })
export class CaptureFilterInput {
  @Tests('CheckpointCapture.capturedAt')
  @Field(() => Date)
  from!: Date;

  @Tests('CheckpointCapture.capturedAt')
  @Field(() => Date)
  to!: Date;

  @Tests('CheckpointCapture.plateNumber')
  @Field(() => String, { nullable: true })
  plateNumber?: string | null;

  @Tests('CheckpointCapture.plateColor')
  @Field(() => PlateColor, { nullable: true })
  plateColor?: PlateColor | null;

  @Tests('CheckpointCapture.checkpointCode')
  @Field(() => String, { nullable: true })
  checkpointCode?: string | null;
}

@ArgsType()
export class CheckpointCapturesArgs extends PageArgs {
  @Field(() => CaptureFilterInput)
  filter!: CaptureFilterInput;

  @Field(() => captureOrderings.enum, { defaultValue: captureOrderings.enum.CAPTURED_AT_DESC })
  orderBy!: CaptureOrderName;
}
