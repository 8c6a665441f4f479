import fs from 'node:fs';
import { loadConfig } from '../../src/config';

/**
 * The `agencies` section of the committed agreements file, for agreements a test writes itself:
 * an agreement may only cover agencies and roles its file declares.
 */
export const COMMITTED_AGENCIES: unknown = (JSON.parse(fs.readFileSync(loadConfig({}).agreementsFile, 'utf8')) as { agencies: unknown }).agencies;
