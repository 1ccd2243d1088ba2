import { Injectable } from '@nestjs/common';
import { UserDataService } from '../activity/user-data.service';
import { UserTokenService } from '../auth/user-token.service';
import { NotificationUserDataService } from '../notification/user-data/notification-user-data.service';
import type { ErasedCountsDto, ExportResponseDto } from './privacy.dto';

/** A user's data across the modules: all of it to take away, or none of it left. */
@Injectable()
export class PrivacyService {
  constructor(
    private readonly activityData: UserDataService,
    private readonly notificationData: NotificationUserDataService,
    private readonly userTokens: UserTokenService,
  ) {}

  async export(userId: string): Promise<Omit<ExportResponseDto, 'success' | 'user_id'>> {
    const [activity, notification] = await Promise.all([this.activityData.export(userId), this.notificationData.export(userId)]);
    return { ...activity, ...notification };
  }

  /**
   * Erases the user everywhere. Their tokens are revoked first: an erased user's token must not
   * write new data under the id while the rest is being deleted.
   */
  async erase(userId: string): Promise<ErasedCountsDto> {
    await this.userTokens.revokeUser(userId);
    const notification = await this.notificationData.erase(userId);
    const activity = await this.activityData.erase(userId);
    return { ...activity, ...notification };
  }
}
