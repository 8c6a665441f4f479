export { encodeCursor, decodeCursor, sealCursorJson, setCursorKey, type CursorValues, type CursorValueType } from './cursor';
export { PageArgs, pageSize, countCap, requireResultCount, MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE, DEFAULT_COUNT_CAP, MAX_COUNT_CAP } from './page-args';
export { PageInfo, RowCount, connectionType, toPage, type Counter, type Page } from './connection';
export { cursorOf, instant, type Ordering, type PageRequest } from './paginate';
export { pageByKey, type KeyPageRequest } from './page-by-key';
export { orderings, carryOrderings, OrderingSet, type OrderingEnum, type OrderingDeclaration, type OrderName } from './orderings';
