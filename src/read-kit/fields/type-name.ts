import { getMetadataStorage, type ClassType } from 'type-graphql';

/** The GraphQL name of a type-graphql object type: the name `@ObjectType` gave it, else the class name. */
export function graphqlTypeName(type: ClassType): string {
  return getMetadataStorage().objectTypes.find((declared) => declared.target === type)?.name ?? type.name;
}
