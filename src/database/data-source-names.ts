/** Names of the two TypeORM data sources; each domain module owns one database, as the original did. */
export const ACTIVITY_DATA_SOURCE = 'activity';
export const NOTIFICATION_DATA_SOURCE = 'notification';
/** API keys and generated secrets: the credentials both modules are guarded by. */
export const AUTH_DATA_SOURCE = 'auth';

export type EngageDataSourceName = typeof ACTIVITY_DATA_SOURCE | typeof NOTIFICATION_DATA_SOURCE | typeof AUTH_DATA_SOURCE;
