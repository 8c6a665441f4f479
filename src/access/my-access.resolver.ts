import { Ctx, Field, Info, ObjectType, Query, Resolver } from 'type-graphql';
import { Classification, Classified, classificationOf, PURPOSE_BOUND_LEVELS } from '../read-kit/fields/classification';
import type { AccessContext } from './access-context';
import { inForce } from './access-grant';
import { isObjectType, type GraphQLResolveInfo } from 'graphql';

@ObjectType({ description: 'A data-sharing agreement the caller reads under.' })
export class AgreementSummary {
  @Classified(Classification.PUBLIC) @Field() id!: string;
  @Classified(Classification.PUBLIC) @Field() title!: string;
  @Classified(Classification.PUBLIC) @Field() legalBasis!: string;
  @Classified(Classification.PUBLIC) @Field(() => [String]) purposes!: string[];
  @Classified(Classification.PUBLIC) @Field() validFrom!: Date;
  @Classified(Classification.PUBLIC) @Field() validUntil!: Date;
  @Classified(Classification.PUBLIC) @Field({ description: 'Whether the agreement is in force now.' }) inForce!: boolean;
}

@ObjectType({ description: 'One field the caller may read, and how.' })
export class FieldAccess {
  @Classified(Classification.PUBLIC) @Field() field!: string;
  @Classified(Classification.PUBLIC) @Field({ description: '`FULL` or `MASKED`.' }) mode!: string;
  @Classified(Classification.PUBLIC) @Field(() => String, { nullable: true, description: 'The mask applied when `MASKED`.' }) mask!: string | null;
  @Classified(Classification.PUBLIC) @Field() classification!: string;
  @Classified(Classification.PUBLIC) @Field({ description: 'Reading it needs a declared purpose (request extensions.purpose).' }) requiresPurpose!: boolean;
  @Classified(Classification.PUBLIC) @Field({ description: 'Reading it needs an open case number (request extensions.caseNumber).' }) requiresCase!: boolean;
}

@ObjectType({ description: 'The fields of one type the caller may read.' })
export class TypeAccess {
  @Classified(Classification.PUBLIC) @Field() type!: string;
  @Classified(Classification.PUBLIC) @Field(() => [FieldAccess]) fields!: FieldAccess[];
}

@ObjectType({ description: 'What the caller may see: build valid queries from this.' })
export class MyAccess {
  @Classified(Classification.PUBLIC) @Field() agency!: string;
  @Classified(Classification.PUBLIC) @Field() subject!: string;
  @Classified(Classification.PUBLIC) @Field(() => [String]) roles!: string[];
  @Classified(Classification.PUBLIC) @Field(() => [String]) divisions!: string[];
  @Classified(Classification.PUBLIC)
  @Field(() => [String], { description: 'Purposes the caller may declare: those of its agreements in force.' })
  purposes!: string[];
  @Classified(Classification.PUBLIC)
  @Field(() => String, {
    nullable: true,
    description:
      "The one agreement this request was judged under (`types` are its grants); null when none could be chosen (see the request's refusal, e.g. AGREEMENT_AMBIGUOUS).",
  })
  judgedUnder!: string | null;
  @Classified(Classification.PUBLIC) @Field() introspection!: boolean;
  @Classified(Classification.PUBLIC)
  @Field(() => [AgreementSummary], { description: 'Agreements naming the caller, in force or not.' })
  agreements!: AgreementSummary[];
  @Classified(Classification.PUBLIC)
  @Field(() => [TypeAccess], { description: 'What the agreement the request was judged under grants.' })
  types!: TypeAccess[];
}

/** Types that describe the caller itself: readable by every authenticated caller. */
export const CALLER_DESCRIPTION_TYPES: ReadonlySet<string> = new Set(['MyAccess', 'AgreementSummary', 'TypeAccess', 'FieldAccess']);

@Resolver()
export class MyAccessResolver {
  @Classified(Classification.PUBLIC)
  @Query(() => MyAccess, { description: 'What the caller may see: agreements, purposes, and per type the fields with their modes.' })
  myAccess(@Ctx() ctx: AccessContext, @Info() info: GraphQLResolveInfo): MyAccess {
    const viewer = ctx.viewer!;
    const now = new Date();
    const { schema } = info;
    const grant = ctx.access?.grant ?? null;
    const covering = ctx.access?.covering ?? [];
    const types: TypeAccess[] = [];
    for (const [typeName, fields] of grant?.grantedTypes() ?? []) {
      const type = schema.getType(typeName);
      if (!isObjectType(type)) continue;
      types.push({
        type: typeName,
        fields: [...fields]
          .map(([fieldName, mode]) => {
            const level = classificationOf(type.getFields()[fieldName]) ?? Classification.INTERNAL;
            return {
              field: fieldName,
              mode: mode.kind === 'full' ? 'FULL' : 'MASKED',
              mask: mode.kind === 'masked' ? mode.mask : null,
              classification: level,
              requiresPurpose: PURPOSE_BOUND_LEVELS.has(level),
              requiresCase: level === Classification.POLICE_RESTRICTED,
            };
          })
          .sort((a, b) => a.field.localeCompare(b.field)),
      });
    }
    return {
      agency: viewer.agency,
      subject: viewer.subject,
      roles: viewer.roles,
      divisions: viewer.divisions,
      purposes: [...new Set(covering.filter((a) => inForce(a, now)).flatMap((a) => a.purposes))],
      judgedUnder: grant?.agreement?.id ?? null,
      introspection: grant?.introspection ?? false,
      agreements: covering.map((a) => ({
        id: a.id,
        title: a.title,
        legalBasis: a.legalBasis,
        purposes: a.purposes,
        validFrom: a.validFrom,
        validUntil: a.validUntil,
        inForce: inForce(a, now),
      })),
      types: types.sort((a, b) => a.type.localeCompare(b.type)),
    };
  }
}
