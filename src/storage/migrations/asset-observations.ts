import { sql, type Kysely, type Migration } from 'kysely';

/**
 * 0012 asset observations (ASSET_OBSERVATION events: metadata about an asset recorded without a new
 * materialization, `sluice assets report --observation`).
 *
 * events  events_sensor_feed_idx (the partial index on the ids of the events sensors page through)
 *         is rebuilt to cover ASSET_OBSERVATION too (asset sensors with `includeObservations`);
 *         events_asset_observation_idx ((data->>'assetKey'), id) where type = 'ASSET_OBSERVATION'
 *         serves an asset's latest observations (the asset page).
 */
export const assetObservations: Migration = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async up(db: Kysely<any>): Promise<void> {
    await db.schema.dropIndex('events_sensor_feed_idx').execute();
    await db.schema
      .createIndex('events_sensor_feed_idx')
      .on('events')
      .column('id')
      .where(sql.ref('type'), 'in', ['MATERIALIZATION', 'CHECK_EVALUATION', 'ASSET_OBSERVATION', 'RUN_STARTED', 'RUN_SUCCESS', 'RUN_FAILURE', 'RUN_CANCELED'])
      .execute();
    await db.schema
      .createIndex('events_asset_observation_idx')
      .on('events')
      .expression(sql`(data->>'assetKey'), id`)
      .where(sql.ref('type'), '=', 'ASSET_OBSERVATION')
      .execute();
  },
};
