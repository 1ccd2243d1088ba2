import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import type { JsonObject } from '../../common/json';
import { IsPlainObject } from '../../common/validation/is-plain-object.decorator';
import { MaxJsonSize } from '../../common/validation/max-json-size.decorator';
import { NoControlChars } from '../../common/validation/no-control-chars.decorator';
import { DEVICE_PLATFORMS, type DevicePlatform } from '../entities/device-token.entity';

/** POST /api/devices/register: a push token of one of the user's devices. */
export class RegisterDeviceDto {
  /** @example "user123" */
  @IsString()
  @Length(1, 255)
  @NoControlChars()
  user_id: string;

  /**
   * APNs device token, FCM registration token, or for web the JSON push subscription.
   * @example "fcm-registration-token-abc123"
   */
  @IsString()
  @Length(1, 4096)
  token: string;

  /** @example "android" */
  @IsIn(DEVICE_PLATFORMS)
  platform: DevicePlatform;

  /** @example {"model": "Pixel 9", "app_version": "2.4.0"} */
  @IsOptional()
  @IsPlainObject()
  @MaxJsonSize(4096)
  device_info?: JsonObject;
}

export class RegisterDeviceResponseDto {
  /** @example true */
  success: boolean;
  /** @example "3c2b1a09-8f7e-4d6c-9b5a-4e3d2c1b0a9f" */
  device_token_id: string;
}
