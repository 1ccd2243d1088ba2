import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { SendNotificationDto } from '../dto/notification.dto';
import type { NotificationChannel } from '../entities/notification.entity';
import { NotificationTemplateRepository } from '../repositories/notification-template.repository';
import { formatFor, TemplateRenderError, TemplateRenderer } from './template-renderer';

/** What a send request resolves to once its template, if any, is applied. */
export interface NotificationContent {
  title: string;
  message: string;
  /** Email only: the HTML body (message is then the plain-text body). */
  htmlMessage: string | null;
  notificationType: string;
  channel: NotificationChannel;
  templateId: string | null;
}

const MAX_TITLE_LENGTH = 500;

/** Turns a send request into the title, message, type and channel to store. */
@Injectable()
export class NotificationContentService {
  constructor(
    private readonly templates: NotificationTemplateRepository,
    private readonly renderer: TemplateRenderer,
  ) {}

  async resolve(dto: SendNotificationDto): Promise<NotificationContent> {
    if (dto.template === undefined) {
      return {
        title: dto.title as string,
        message: dto.message as string,
        htmlMessage: null,
        notificationType: dto.notification_type as string,
        channel: dto.channel as NotificationChannel,
        templateId: null,
      };
    }
    const conflicting = (['title', 'message'] as const).filter((field) => dto[field] !== undefined);
    if (conflicting.length > 0) {
      throw invalid(conflicting, `${conflicting.join(' and ')} must not be given with template: the template provides them`);
    }
    const template = await this.templates.findByName(dto.template);
    if (!template) {
      throw new NotFoundException({ code: 'template_not_found', message: `No template named ${dto.template}` });
    }
    const channel = dto.channel ?? template.channels[0] ?? 'in_app';
    if (template.channels.length > 0 && !template.channels.includes(channel)) {
      throw invalid(['channel'], `channel must be one of the template's channels: ${template.channels.join(', ')}`);
    }
    const data = dto.data ?? {};
    const missing = this.renderer.missingVariables([template.titleTemplate, template.messageTemplate], data);
    if (missing.length > 0) {
      throw new BadRequestException({
        code: 'missing_template_variables',
        message: `Invalid request: data is missing template variables: ${missing.join(', ')}`,
        details: [{ field: 'data', messages: missing.map((name) => `data.${name} is required by template ${template.name}`) }],
      });
    }
    try {
      // An email subject is plain text; its body goes out as both text and HTML.
      const title = this.renderer.render('title_template', template.titleTemplate, data, channel === 'email' ? 'text' : formatFor(channel));
      const message = this.renderer.render('message_template', template.messageTemplate, data, channel === 'email' ? 'text' : formatFor(channel));
      const htmlMessage = channel === 'email' ? this.renderer.render('message_template', template.messageTemplate, data, 'html') : null;
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
      };
    } catch (error) {
      if (error instanceof TemplateRenderError) throw invalid(['template'], error.message);
      throw error;
    }
  }
}

function invalid(fields: string[], message: string): BadRequestException {
  return new BadRequestException({
    code: 'validation_failed',
    message: `Invalid request: ${message}`,
    details: fields.map((field) => ({ field, messages: [message] })),
  });
}
