export { relation, arg, Relation, type RelationDeclaration, type RelationArg, type ParentKey } from './relation';
export { Relations, prefetchRelations } from './relations';
