import { LocalDateResolver } from 'graphql-scalars';

/** Calendar dates travel as `YYYY-MM-DD` strings (no time zone, no shifting). */
export const LocalDate = LocalDateResolver;
