import { applyDecorators } from '@nestjs/common';
import { IsString, Matches, ValidationOptions } from 'class-validator';

/** The one channel with no provider: an in-app notification is delivered by being stored. */
export const IN_APP = 'in_app';

/**
 * What a channel name may be: the `channel` column holds up to 20 characters, and `*` stands for
 * every channel in preferences.
 */
export const CHANNEL_NAME_PATTERN = /^[a-z][a-z0-9_-]{0,19}$/;
const CHANNEL_OR_ANY_PATTERN = /^(?:\*|[a-z][a-z0-9_-]{0,19})$/;

/**
 * The shape of a channel name (or `*` with `any`). Whether the channel exists is for the
 * ChannelRegistry to say: only it knows the channels a host registered.
 */
export function IsChannelName(options: ValidationOptions & { any?: boolean } = {}): PropertyDecorator {
  const { any, ...validation } = options;
  const what = any ? 'a channel name or *' : 'a channel name';
  return applyDecorators(
    IsString(validation),
    Matches(any ? CHANNEL_OR_ANY_PATTERN : CHANNEL_NAME_PATTERN, {
      message: `${validation.each ? 'each value in ' : ''}$property must be ${what} (1 to 20 lower-case letters, digits, "_" or "-")`,
      ...validation,
    }),
  );
}
