import { Injectable } from '@nestjs/common';
import { ApiKeyService } from '../auth/api-key.service';
import { UserTokenService } from '../auth/user-token.service';
import { NotificationTypeService } from '../notification/notification-types/notification-type.service';
import { NotificationService } from '../notification/notification.service';

/** The demo's user: every demo session is theirs. */
export const DEMO_USER = 'demo-user';
const DEMO_KEY_NAME = 'demo';
/** Types the settings panel shows: one to turn off, one digested, one locked. */
const DEMO_TYPES = [
  { type: 'comment', entry: { label: 'Comments', description: 'Replies to what you wrote.', category: 'activity' } },
  {
    type: 'product_news',
    entry: { label: 'Product news', description: 'New features, once a day.', category: 'news', digest: 'daily' as const },
  },
  {
    type: 'security_alert',
    entry: { label: 'Security alerts', description: 'Sign-ins from new devices.', category: 'account', required: true },
  },
];

export interface DemoSession {
  user_id: string;
  /** A user token for the bell and the settings (one hour). */
  token: string;
  expires_at: string;
  /** A publishable key for the tracker on the page. */
  track_key: string;
}

/**
 * What the demo page needs: a session for `demo-user` (a user token, and a publishable key made
 * for the demo, kept in memory for the process's life: keys are stored hashed, so a restart
 * makes a new one and revokes the old), the example types, and a test notification on demand.
 */
@Injectable()
export class DemoService {
  private trackKey: Promise<string> | null = null;
  private sent = 0;

  constructor(
    private readonly tokens: UserTokenService,
    private readonly keys: ApiKeyService,
    private readonly types: NotificationTypeService,
    private readonly notifications: NotificationService,
  ) {}

  async session(): Promise<DemoSession> {
    this.trackKey ??= this.makeTrackKey().catch((error: unknown) => {
      this.trackKey = null;
      throw error;
    });
    const [token, trackKey] = await Promise.all([this.tokens.mint(DEMO_USER, 3600), this.trackKey, this.registerTypes()]);
    return { user_id: DEMO_USER, token: token.token, expires_at: token.expiresAt.toISOString(), track_key: trackKey };
  }

  /** An in-app notification to the demo user, with an action button. */
  async notify(): Promise<{ notification_id: string | null }> {
    this.sent += 1;
    const result = await this.notifications.send({
      user_id: DEMO_USER,
      title: `Test notification ${this.sent}`,
      message: 'Sent from the demo page: it arrived over the live stream.',
      notification_type: 'comment',
      channel: 'in_app',
      actions: [{ action_id: 'reply', label: 'Reply' }],
    });
    return { notification_id: result.notification?.id ?? null };
  }

  private async makeTrackKey(): Promise<string> {
    await this.keys.revoke(DEMO_KEY_NAME).catch(() => []);
    return (await this.keys.create(DEMO_KEY_NAME, 'track')).key;
  }

  private async registerTypes(): Promise<void> {
    const known = new Set((await this.types.list()).map((type) => type.notificationType));
    for (const { type, entry } of DEMO_TYPES) if (!known.has(type)) await this.types.put(type, entry);
  }
}
