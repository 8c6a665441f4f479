export { encodeCursor, decodeCursor, sealCursorJson, setCursorKey, type CursorValues, type CursorValueType } from './cursor';
export { PageArgs, pageSize, MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE } from './page-args';
export { PageInfo, connectionType, toPage, type Page } from './connection';
export { paginate, cursorOf, instant, type Ordering, type PageRequest } from './paginate';
export { pageByKey, type KeyPageRequest } from './page-by-key';
