import { Tests } from '../../read-kit/fields/argument-tests';
import { ArgsType, Field, InputType } from 'type-graphql';
import { PlateColor } from '../common/enums';
import { PageArgs } from '../../read-kit/pagination';
import { captureOrderings, type CaptureOrderName } from './checkpoint.orderings';

/** Longest capture window one request may read. */
export const MAX_CAPTURE_WINDOW_DAYS = 31;

/** The window and checkpoint every read of captures is bounded by. */
export interface CaptureWindowFilter {
  from: Date;
  to: Date;
  checkpointCode?: string | null;
}

/**
 * Declares `CaptureWindowFilter`'s fields, with what each tests, on an input class: once for the list's
 * filter and the aggregates' window (each adds its own fields and states its own window rule).
 * Not a base class: type-graphql does not carry a parent input's field extensions (`@Tests`) to
 * its children, and a filter that tests nothing would go unchecked.
 */
export function CaptureWindowFields(): ClassDecorator {
  return (target) => {
    const prototype = target.prototype as object;
    for (const end of ['from', 'to']) {
      Tests('CheckpointCapture.capturedAt')(prototype, end);
      Field(() => Date)(prototype, end);
    }
    Tests('CheckpointCapture.checkpointCode')(prototype, 'checkpointCode');
    Field(() => String, { nullable: true })(prototype, 'checkpointCode');
  };
}

@InputType({ description: `Captures in a half-open window [from, to) of at most ${MAX_CAPTURE_WINDOW_DAYS} days.` })
@CaptureWindowFields()
export class CaptureFilterInput implements CaptureWindowFilter {
  declare from: Date;
  declare to: Date;
  declare checkpointCode?: string | null;

  @Tests('CheckpointCapture.plateNumber')
  @Field(() => String, { nullable: true })
  plateNumber?: string | null;

  @Tests('CheckpointCapture.plateColor')
  @Field(() => PlateColor, { nullable: true })
  plateColor?: PlateColor | null;
}

@ArgsType()
export class CheckpointCapturesArgs extends PageArgs {
  @Field(() => CaptureFilterInput)
  filter!: CaptureFilterInput;

  @Field(() => captureOrderings.enum, { defaultValue: captureOrderings.enum.CAPTURED_AT_DESC })
  orderBy!: CaptureOrderName;
}
