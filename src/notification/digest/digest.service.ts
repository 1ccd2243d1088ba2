import { Inject, Injectable, Logger } from '@nestjs/common';
import { Clock } from '../../common/clock';
import type { JsonObject } from '../../common/json';
import { TransactionRunner } from '../../database/engine/transaction-runner';
import type { Db } from '../../database/engine/tx';
import { ChannelRegistry } from '../delivery/channel-registry';
import type { DeliveryJob } from '../entities/delivery-job.entity';
import type { NotificationDigest } from '../entities/notification-digest.entity';
import type { Notification } from '../entities/notification.entity';
import { NotificationStore } from '../notification-store.service';
import { NOTIFICATION_TRANSACTIONS } from '../notification.tokens';
import { PreferenceService } from '../preferences/preference.service';
import { NotificationDigestRepository } from '../repositories/notification-digest.repository';
import { NotificationTemplateRepository } from '../repositories/notification-template.repository';
import { NotificationContentService, type NotificationContent } from '../templates/notification-content.service';
import { TemplateRenderer } from '../templates/template-renderer';
import { DIGEST_TYPE } from './digest-frequency';

/** Items a digest lists by name; past this it says how many more. */
export const DIGEST_LISTED_ITEMS = 50;

/** Digests sent per scheduler tick: a bounded amount of work per second. */
const DIGESTS_PER_TICK = 20;

const MAX_TITLE_LENGTH = 500;

/**
 * The built-in digest text, used unless an admin makes a template named `engage_digest` (which
 * gets the same variables: count, one, items[].title/message/notification_type/created_at, more,
 * frequency, channel).
 */
const BUILT_IN = {
  title: '{{count}} new notification{{#unless one}}s{{/unless}}',
  text: '{{#each items}}- {{title}}\n{{/each}}{{#if more}}and {{more}} more\n{{/if}}',
  html: '<ul>{{#each items}}<li>{{title}}</li>{{/each}}</ul>{{#if more}}<p>and {{more}} more</p>{{/if}}',
};

/**
 * Sends the digests whose window has ended: each becomes one message on its channel, listing
 * what it gathered, stored and queued like any notification (so quiet hours, retries and the
 * delivery record apply to it). The message is kept archived: its items are in the inbox already.
 * Sending a digest and marking it sent are one transaction, so it goes out once.
 */
@Injectable()
export class DigestService {
  private readonly logger = new Logger('Digest');

  constructor(
    private readonly digests: NotificationDigestRepository,
    private readonly templates: NotificationTemplateRepository,
    private readonly content: NotificationContentService,
    private readonly renderer: TemplateRenderer,
    private readonly channels: ChannelRegistry,
    private readonly preferences: PreferenceService,
    private readonly store: NotificationStore,
    @Inject(NOTIFICATION_TRANSACTIONS) private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
  ) {}

  /** Sends what is due; returns how many digests it settled. */
  async sendDue(): Promise<number> {
    const due = await this.digests.findDue(this.transactions.reads, this.clock.now(), DIGESTS_PER_TICK);
    for (const digest of due) await this.send(digest);
    return due.length;
  }

  private async send(digest: NotificationDigest): Promise<void> {
    // The user may have muted the channel since the items came: the digest follows what they say now.
    const preference = await this.preferences.resolve(digest.userId, DIGEST_TYPE, digest.channel);
    let job: DeliveryJob | null = null;
    await this.transactions.run(async (tx) => {
      const current = await this.digests.findById(tx, digest.id);
      if (!current || current.state !== 'open') return; // another process sent it
      const now = this.clock.now();
      const items = await this.digests.items(tx, digest.id);
      if (items.length === 0 || !preference.enabled) {
        Object.assign(current, { state: items.length === 0 ? 'empty' : 'suppressed', updatedAt: now });
        await this.digests.settle(tx, current);
        return;
      }
      const content = await this.render(tx, current, items);
      const message = this.store.draft(
        current.userId,
        content,
        {
          priority: 'normal',
          data: { digest_id: current.id, count: items.length, notification_ids: items.map((n) => n.id).slice(0, 1000) },
        },
        now,
        null,
      );
      message.archivedAt = now;
      job = (await this.store.store(tx, message)).job;
      Object.assign(current, { state: 'sent', notificationId: message.id, updatedAt: now });
      await this.digests.settle(tx, current);
    });
    await this.store.enqueue([job]);
  }

  /** The admin's `engage_digest` template in the user's locale when there is one and it renders, else the built-in text. */
  private async render(db: Db, digest: NotificationDigest, items: Notification[]): Promise<NotificationContent> {
    const listed = items.slice(0, DIGEST_LISTED_ITEMS);
    const data: JsonObject = {
      count: items.length,
      one: items.length === 1,
      items: listed.map((n) => ({
        title: n.title,
        message: n.message,
        notification_type: n.notificationType,
        created_at: n.createdAt.toISOString(),
      })),
      more: items.length - listed.length,
      frequency: digest.frequency,
      channel: digest.channel,
    };
    if (await this.templates.findByName(db, DIGEST_TYPE)) {
      try {
        const own = await this.content.resolve(db, {
          user_id: digest.userId,
          template: DIGEST_TYPE,
          channel: digest.channel,
          notification_type: DIGEST_TYPE,
          data,
        });
        return { ...own, notificationType: DIGEST_TYPE };
      } catch (error) {
        // A template that cannot render these items must not lose them: the built-in text goes instead.
        this.logger.warn(
          `Template ${DIGEST_TYPE} did not render digest ${digest.id} (${(error as Error).message}); sending the built-in text`,
        );
      }
    }
    const { format, htmlBody } = this.channels.rendering(digest.channel);
    return {
      title: this.renderer.render('title_template', BUILT_IN.title, data, format).slice(0, MAX_TITLE_LENGTH),
      message: this.renderer.render('message_template', BUILT_IN.text, data, format),
      htmlMessage: htmlBody ? this.renderer.render('message_template', BUILT_IN.html, data, 'html') : null,
      notificationType: DIGEST_TYPE,
      channel: digest.channel,
      templateId: null,
      category: null,
      defaultEnabled: null,
    };
  }
}
