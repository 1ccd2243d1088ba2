export { EngageClient, type EngageClientOptions, type InboxChange } from './engage-client';
export { EngageApiError } from './engage-api-error';
export { InboxStream, type InboxStreamOptions, type InboxStreamState } from './inbox-stream';
export type * from './types';
