import { EngageClient } from '../sdk/engage-client';

/** What the components need of a client: an EngageClient, or a stand-in with the same methods (tests, a host's own). */
export type InboxClient = Pick<
  EngageClient,
  | 'userId'
  | 'listInbox'
  | 'counts'
  | 'markRead'
  | 'markAllRead'
  | 'markAllSeen'
  | 'archive'
  | 'unarchive'
  | 'snooze'
  | 'takeAction'
  | 'stream'
  | 'preferenceMatrix'
  | 'updatePreferences'
  | 'schedule'
  | 'putSchedule'
  | 'pause'
  | 'resume'
>;

export interface ClientProps {
  userId: string;
  /** A user token, or a function giving a fresh one (called again after a 401). */
  token?: string;
  getToken?: () => string | Promise<string>;
  /** Where Engage is (default: this page's origin). */
  baseUrl?: string;
  /** A client made elsewhere (shared between components, or a test's). */
  client?: InboxClient;
}

/** The client a component uses: the one given, else one made from its props (the same one while they stay the same). */
export function clientFor(props: ClientProps): InboxClient {
  return props.client ?? new EngageClient({ userId: props.userId, token: props.token, getToken: props.getToken, baseUrl: props.baseUrl });
}
