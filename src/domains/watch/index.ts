import { domain } from '../../read-kit/domain-descriptor';
import { Watch } from './watch.entity';
import { watchOrderings } from './watch.orderings';
import { WatchResolver, watchHitTopic } from './watch.resolver';

export { Watch, WatchHit } from './watch.entity';
export { WatchError, type WatchRefusal } from './watch.errors';
export { WatchWrites } from './watch.writes';
export { recordWatchHits } from './watch-hits';
export { watchHitTopic, type WatchContext, type WatchRules } from './watch.resolver';

/**
 * Watch lists (布控): hub-native watches on plates (provenance system HUB), set and removed by
 * the agencies the agreements allow; captures of a watched plate are hits (`watch_hit`, written by
 * the capture batch's transaction in src/sync through `recordWatchHits`) delivered live through `Subscription.watchHits`.
 */
export const watchDomain = domain({
  name: 'watch',
  entities: [Watch],
  resolvers: [WatchResolver],
  relations: [],
  orderings: [watchOrderings],
  liveTopics: [watchHitTopic],
});
