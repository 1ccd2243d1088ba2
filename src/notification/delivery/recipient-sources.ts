import type { JsonObject } from '../../common/json';
import type { DeviceToken } from '../entities/device-token.entity';
import type { UserContact } from '../entities/user-contact.entity';
import type { RecipientSources } from './channel-provider';

/** RecipientSources over loaders, each called at most once and only if a provider asks. */
export function recipientSources(
  userId: string,
  data: JsonObject | null,
  load: { contact(): Promise<UserContact | null>; devices(): Promise<DeviceToken[]> },
): RecipientSources {
  let contact: Promise<UserContact | null> | undefined;
  let devices: Promise<DeviceToken[]> | undefined;
  return {
    userId,
    data,
    contact: () => (contact ??= load.contact()),
    devices: () => (devices ??= load.devices()),
  };
}
