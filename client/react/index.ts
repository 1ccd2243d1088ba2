// The React components and the SDK, as the package's `@engage-oss/nest/react` entry.
export {
  NotificationBell,
  DEFAULT_BELL_LABELS,
  type NotificationBellProps,
  type BellLabels,
  type BellClassNames,
} from './notification-bell';
export {
  NotificationSettings,
  DEFAULT_SETTINGS_LABELS,
  type NotificationSettingsProps,
  type SettingsLabels,
} from './notification-settings';
export type { ClientProps, InboxClient } from './inbox-client';
export * from '../sdk/index';
