import { createParameterDecorator } from 'type-graphql';

/**
 * The parent object of a field, as the parent resolver returned it. type-graphql's `@Root()`
 * copies the parent into a new instance of the declared class, which for ORM entity classes
 * runs change-tracking setters on every field of every row; reads here are plain objects.
 */
export function Parent() {
  return createParameterDecorator(({ root }) => root);
}
