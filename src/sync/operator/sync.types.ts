import { Tests } from '../../read-kit/fields/argument-tests';
import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { MaskKind } from '../../read-kit/fields/masks';
import { Classification, Classified } from '../../read-kit/fields/classification';
import { SourceSystem } from '../../domains/common/enums';
import { QuarantineResolution, SyncMode, SyncRunStatus } from '../state';

// The sync's own vocabulary, exposed as GraphQL enums (declared once, in ../state).
registerEnumType(SyncMode, { name: 'SyncMode', description: "INCREMENTAL: from the stream's cursor; FULL: a whole snapshot, reconciled." });
registerEnumType(SyncRunStatus, { name: 'SyncRunStatus' });
registerEnumType(QuarantineResolution, {
  name: 'QuarantineResolution',
  description: 'LANDED: a valid version of the record later reached the hub; REPLACED: the source sent another bad version, quarantined anew.',
});

@ObjectType({ description: 'One run of one stream: its counts, and while it runs its progress.', simpleResolvers: true })
export class SyncRun {
  @Classified(Classification.INTERNAL) @Field(() => ID) id!: string;
  @Classified(Classification.INTERNAL) @Field(() => SourceSystem) system!: SourceSystem;
  @Classified(Classification.INTERNAL) @Field() stream!: string;
  @Classified(Classification.INTERNAL) @Field(() => SyncMode) mode!: SyncMode;
  @Classified(Classification.INTERNAL) @Field(() => SyncRunStatus) status!: SyncRunStatus;
  @Classified(Classification.INTERNAL) @Field({ description: 'When it started, or was queued.' }) startedAt!: Date;
  @Classified(Classification.INTERNAL) @Field(() => Date, { nullable: true }) finishedAt!: Date | null;
  @Classified(Classification.INTERNAL)
  @Field(() => Date, { nullable: true, description: 'Last sign of life: set after every batch.' })
  heartbeatAt!: Date | null;
  @Classified(Classification.INTERNAL) @Field(() => Int, { description: 'Batches committed so far.' }) batches!: number;
  @Classified(Classification.INTERNAL)
  @Field(() => Int, { nullable: true, description: 'Batches the last complete run of this stream and mode took: the estimate of this one.' })
  estimatedBatches!: number | null;
  @Classified(Classification.INTERNAL)
  @Field(() => Float, { nullable: true, description: 'batches / estimatedBatches, at most 1, while running; 1 when succeeded.' })
  progress!: number | null;
  @Classified(Classification.INTERNAL) @Field(() => Int) read!: number;
  @Classified(Classification.INTERNAL) @Field(() => Int) inserted!: number;
  @Classified(Classification.INTERNAL) @Field(() => Int) updated!: number;
  @Classified(Classification.INTERNAL) @Field(() => Int) unchanged!: number;
  @Classified(Classification.INTERNAL) @Field(() => Int) deleted!: number;
  @Classified(Classification.INTERNAL) @Field(() => Int) quarantined!: number;
  @Classified(Classification.INTERNAL) @Field(() => String, { nullable: true, description: 'TRANSIENT, CONFIGURATION, QUEUE or INTERNAL.' }) errorClass!:
    string | null;
  @Classified(Classification.INTERNAL) @Field(() => String, { nullable: true }) errorMessage!: string | null;
  @Classified(Classification.INTERNAL) @Field(() => String, { nullable: true, description: 'Who queued it, for runs an operator triggered.' }) requestedBy!:
    string | null;
}

@ObjectType({ description: 'Where one stream of an upstream system stands.', simpleResolvers: true })
export class SyncStreamStatus {
  @Classified(Classification.INTERNAL) @Field() stream!: string;
  @Classified(Classification.INTERNAL)
  @Field(() => Date, { nullable: true, description: 'When a batch of the stream was last committed.' })
  lastSuccessAt!: Date | null;
  @Classified(Classification.INTERNAL)
  @Field(() => String, { nullable: true, description: "Where the stream stands at its source (the connector's cursor, JSON)." })
  cursor!: string | null;
  @Classified(Classification.INTERNAL)
  @Field(() => Date, {
    nullable: true,
    description: 'When the last run that read the source to its end began: every change the source had committed by then is in the hub (null: no run has yet).',
  })
  caughtUpAt!: Date | null;
  @Classified(Classification.INTERNAL)
  @Field(() => Int, { nullable: true, description: 'How far the hub trails the source: seconds since caughtUpAt (null: never caught up).' })
  lagSeconds!: number | null;
  @Classified(Classification.INTERNAL) @Field(() => Date, { nullable: true, description: 'When its schedule next fires.' }) nextRunAt!: Date | null;
  @Classified(Classification.INTERNAL)
  @Field(() => String, { nullable: true, description: 'Why it stopped (configuration errors), until a run succeeds.' })
  needsAttention!: string | null;
  @Classified(Classification.INTERNAL) @Field(() => SyncRun, { nullable: true }) lastRun!: SyncRun | null;
  @Classified(Classification.INTERNAL)
  @Field(() => SyncRun, { nullable: true, description: 'The run queued or under way, with its progress.' })
  currentRun!: SyncRun | null;
}

@ObjectType({ description: 'An upstream agency system the hub syncs.', simpleResolvers: true })
export class SyncConnector {
  @Classified(Classification.INTERNAL) @Field(() => SourceSystem) system!: SourceSystem;
  @Classified(Classification.INTERNAL) @Field({ description: 'The agency that owns it.' }) agency!: string;
  @Classified(Classification.INTERNAL) @Field(() => [SyncStreamStatus]) streams!: SyncStreamStatus[];
  @Classified(Classification.INTERNAL) @Field(() => String, { nullable: true, description: 'The first stream needing attention, and why.' }) needsAttention!:
    string | null;
}

@ObjectType({ description: 'A source record the hub could not accept, kept with the reasons.', simpleResolvers: true })
export class QuarantinedRecord {
  @Classified(Classification.INTERNAL) @Field(() => ID) id!: string;
  @Classified(Classification.INTERNAL) @Field(() => SourceSystem) system!: SourceSystem;
  @Classified(Classification.INTERNAL) @Field() stream!: string;
  @Classified(Classification.PERSONAL, MaskKind.CERTIFICATE)
  @Field(() => String, { nullable: true, description: "The record's id at the source (may be a person's ID number)." })
  sourceId!: string | null;
  @Classified(Classification.PERSONAL) @Field({ description: 'The record as the source sent it, JSON text: may hold personal data.' }) raw!: string;
  // Personal: validators quote what they rejected (e.g. an ID number's impossible birth date).
  @Classified(Classification.PERSONAL, MaskKind.DIGIT_RUNS) @Field(() => [String]) reasons!: string[];
  @Classified(Classification.INTERNAL) @Field(() => ID, { nullable: true }) runId!: string | null;
  @Classified(Classification.INTERNAL) @Field() quarantinedAt!: Date;
  @Classified(Classification.INTERNAL) @Field(() => Date, { nullable: true, description: 'Set when released for another try.' }) releasedAt!: Date | null;
  @Classified(Classification.INTERNAL)
  @Field(() => Date, { nullable: true, description: 'Set when the entry no longer needs anyone: see resolution.' })
  resolvedAt!: Date | null;
  @Classified(Classification.INTERNAL) @Field(() => QuarantineResolution, { nullable: true }) resolution!: QuarantineResolution | null;
}

@ObjectType({ description: 'What a trigger did: the run it queued, or the one already queued or running.', simpleResolvers: true })
export class TriggeredSync {
  @Classified(Classification.INTERNAL) @Field(() => SyncRun) run!: SyncRun;
  @Classified(Classification.INTERNAL) @Field({ description: 'True when no new run was started because one was queued or running.' }) alreadyRunning!: boolean;
  @Classified(Classification.INTERNAL) @Field(() => Int, { description: 'Quarantined records released for the run (retryQuarantined).' }) released!: number;
}

@InputType()
export class SyncRunFilterInput {
  @Tests('SyncRun.system') @Field(() => SourceSystem, { nullable: true }) system?: SourceSystem | null;
  @Tests('SyncRun.stream') @Field(() => String, { nullable: true }) stream?: string | null;
  @Tests('SyncRun.status') @Field(() => SyncRunStatus, { nullable: true }) status?: SyncRunStatus | null;
}

@InputType()
export class QuarantineFilterInput {
  @Tests('QuarantinedRecord.system') @Field(() => SourceSystem, { nullable: true }) system?: SourceSystem | null;
  @Tests('QuarantinedRecord.stream') @Field(() => String, { nullable: true }) stream?: string | null;
  @Tests('QuarantinedRecord.releasedAt')
  @Field({ defaultValue: false, description: 'Also records already released for another try.' })
  includeReleased!: boolean;
  @Tests('QuarantinedRecord.resolvedAt')
  @Field({ defaultValue: false, description: 'Also entries resolved since (a valid version landed, or a newer bad one replaced it).' })
  includeResolved!: boolean;
}
