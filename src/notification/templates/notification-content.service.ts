import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import type { Db } from '../../database/engine/tx';
import { SendNotificationDto } from '../dto/notification.dto';
import type { NotificationChannel } from '../entities/notification.entity';
import { IN_APP } from '../delivery/channel-name';
import { ChannelRegistry } from '../delivery/channel-registry';
import type { NotificationTemplate } from '../entities/notification-template.entity';
import { NotificationTemplateRepository } from '../repositories/notification-template.repository';
import { UserContactRepository } from '../repositories/user-contact.repository';
import { canonicalLocale } from './locale-tag';
import { TemplateRenderError, TemplateRenderer } from './template-renderer';
import { TemplateService } from './template.service';

/** What a send request resolves to once its template, if any, is applied. */
export interface NotificationContent {
  title: string;
  message: string;
  /** The HTML body, for a channel that has one (email): message is then its plain-text alternative. */
  htmlMessage: string | null;
  notificationType: string;
  channel: NotificationChannel;
  templateId: string | null;
  /** The template's category, which the inbox filters by (else the type registry's); null for a literal message. */
  category: string | null;
  /** The template's default for its type, which applies when the registry has no entry; null for a literal message or none. */
  defaultEnabled: boolean | null;
}

const MAX_TITLE_LENGTH = 500;

/** Turns a send request into the title, message, type and channel to store. */
@Injectable()
export class NotificationContentService {
  constructor(
    private readonly templates: NotificationTemplateRepository,
    private readonly renderer: TemplateRenderer,
    private readonly channels: ChannelRegistry,
    private readonly contacts: UserContactRepository,
    private readonly templateService: TemplateService,
  ) {}

  async resolve(db: Db, dto: SendNotificationDto): Promise<NotificationContent> {
    if (dto.channel !== undefined) this.channels.assertKnown('channel', dto.channel);
    if (dto.template === undefined) {
      if (dto.locale !== undefined)
        throw invalid(['locale'], "locale is only for a send by template (it picks the template's locale variant)");
      return {
        title: dto.title as string,
        message: dto.message as string,
        htmlMessage: null,
        notificationType: dto.notification_type as string,
        channel: dto.channel as NotificationChannel,
        templateId: null,
        category: null,
        defaultEnabled: null,
      };
    }
    const conflicting = (['title', 'message'] as const).filter((field) => dto[field] !== undefined);
    if (conflicting.length > 0) {
      throw invalid(conflicting, `${conflicting.join(' and ')} must not be given with template: the template provides them`);
    }
    const template = await this.templates.findByName(db, dto.template);
    if (!template) {
      throw new NotFoundException({ code: 'template_not_found', message: `No template named ${dto.template}` });
    }
    const channel = dto.channel ?? template.channels[0] ?? IN_APP;
    if (template.channels.length > 0 && !template.channels.includes(channel)) {
      throw invalid(['channel'], `channel must be one of the template's channels: ${template.channels.join(', ')}`);
    }
    // A template's default channel may be one the host no longer registers.
    this.channels.assertKnown('channel', channel);
    const text = await this.localisedText(db, template, dto);
    const data = dto.data ?? {};
    const missing = this.renderer.missingVariables([text.titleTemplate, text.messageTemplate], data);
    if (missing.length > 0) {
      throw new BadRequestException({
        code: 'missing_template_variables',
        message: `Invalid request: data is missing template variables: ${missing.join(', ')}`,
        details: [{ field: 'data', messages: missing.map((name) => `data.${name} is required by template ${text.label}`) }],
      });
    }
    try {
      // The channel's provider says how its text is shown (an email: plain subject and body, and an HTML body).
      const { format, htmlBody } = this.channels.rendering(channel);
      const title = this.renderer.render('title_template', text.titleTemplate, data, format);
      const message = this.renderer.render('message_template', text.messageTemplate, data, format);
      const htmlMessage = htmlBody ? this.renderer.render('message_template', text.messageTemplate, data, 'html') : null;
      if (title.length === 0 || title.length > MAX_TITLE_LENGTH) {
        throw invalid(['data'], `the rendered title must be 1 to ${MAX_TITLE_LENGTH} characters long (it is ${title.length})`);
      }
      return {
        title,
        message,
        htmlMessage,
        notificationType: dto.notification_type ?? template.category ?? template.name,
        channel,
        templateId: template.id,
        category: template.category ?? null,
        defaultEnabled: template.defaultEnabled,
      };
    } catch (error) {
      if (error instanceof TemplateRenderError) throw invalid(['template'], error.message);
      throw error;
    }
  }

  /**
   * The template's title and body in the send's `locale`, else the user's contact locale, by
   * the fallback chain (`pt-BR` → `pt` → the template's own). A contact locale was checked
   * against the pattern only when stored: one Intl refuses is no locale.
   */
  private async localisedText(
    db: Db,
    template: NotificationTemplate,
    dto: SendNotificationDto,
  ): Promise<{ titleTemplate: string; messageTemplate: string; label: string }> {
    const requested = dto.locale ?? (await this.contacts.findByUser(db, dto.user_id))?.locale ?? null;
    const locale = requested === null ? null : canonicalLocale(requested);
    const variant = locale === null ? null : await this.templateService.variantFor(db, template.id, locale);
    if (!variant) return { titleTemplate: template.titleTemplate, messageTemplate: template.messageTemplate, label: template.name };
    return {
      titleTemplate: variant.titleTemplate,
      messageTemplate: variant.messageTemplate,
      label: `${template.name} (${variant.locale})`,
    };
  }
}

function invalid(fields: string[], message: string): BadRequestException {
  return new BadRequestException({
    code: 'validation_failed',
    message: `Invalid request: ${message}`,
    details: fields.map((field) => ({ field, messages: [message] })),
  });
}
