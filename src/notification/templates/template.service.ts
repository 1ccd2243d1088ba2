import { BadRequestException, ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { Clock } from '../../common/clock';
import { IdGenerator } from '../../common/id-generator';
import { TransactionRunner } from '../../database/engine/transaction-runner';
import { ChannelRegistry } from '../delivery/channel-registry';
import { CreateTemplateDto, UpdateTemplateDto } from '../dto/template.dto';
import { NotificationTemplate } from '../entities/notification-template.entity';
import { NOTIFICATION_TRANSACTIONS } from '../notification.tokens';
import { NotificationTemplateRepository } from '../repositories/notification-template.repository';
import { TemplateRenderError, TemplateRenderer } from './template-renderer';

@Injectable()
export class TemplateService {
  constructor(
    private readonly templates: NotificationTemplateRepository,
    private readonly renderer: TemplateRenderer,
    @Inject(NOTIFICATION_TRANSACTIONS) private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly channels: ChannelRegistry,
  ) {}

  create(dto: CreateTemplateDto): Promise<NotificationTemplate> {
    this.assertValid(dto);
    return this.transactions.run(async (tx) => {
      if (await this.templates.findByName(tx, dto.name)) {
        throw new ConflictException({ code: 'template_exists', message: `A template named ${dto.name} already exists` });
      }
      const now = this.clock.now();
      const template = Object.assign(new NotificationTemplate(), {
        id: this.ids.next(),
        name: dto.name,
        titleTemplate: dto.title_template,
        messageTemplate: dto.message_template,
        channels: dto.channels ?? [],
        category: dto.category ?? null,
        dataSchema: dto.data_schema ?? null,
        createdAt: now,
        updatedAt: now,
      });
      await this.templates.insert(tx, template);
      return template;
    });
  }

  list(): Promise<NotificationTemplate[]> {
    return this.templates.listAll(this.transactions.reads);
  }

  async get(name: string): Promise<NotificationTemplate> {
    const template = await this.templates.findByName(this.transactions.reads, name);
    if (!template) throw this.notFound(name);
    return template;
  }

  /** Changes the given fields; a rename to a name in use is a conflict. */
  update(name: string, dto: UpdateTemplateDto): Promise<NotificationTemplate> {
    this.assertValid(dto);
    return this.transactions.run(async (tx) => {
      const template = await this.templates.findByName(tx, name);
      if (!template) throw this.notFound(name);
      if (dto.name !== undefined && dto.name !== name && (await this.templates.findByName(tx, dto.name))) {
        throw new ConflictException({ code: 'template_exists', message: `A template named ${dto.name} already exists` });
      }
      Object.assign(template, {
        ...(dto.name !== undefined && { name: dto.name }),
        ...(dto.title_template !== undefined && { titleTemplate: dto.title_template }),
        ...(dto.message_template !== undefined && { messageTemplate: dto.message_template }),
        ...(dto.channels !== undefined && { channels: dto.channels }),
        ...(dto.category !== undefined && { category: dto.category }),
        ...(dto.data_schema !== undefined && { dataSchema: dto.data_schema }),
        updatedAt: this.clock.now(),
      });
      await this.templates.update(tx, template);
      return template;
    });
  }

  remove(name: string): Promise<void> {
    return this.transactions.run(async (tx) => {
      const template = await this.templates.findByName(tx, name);
      if (!template) throw this.notFound(name);
      await this.templates.deleteById(tx, template.id);
    });
  }

  /** Its channels are ones this module knows and its templates compile. */
  private assertValid(dto: UpdateTemplateDto): void {
    for (const channel of dto.channels ?? []) this.channels.assertKnown('channels', channel, { each: true });
    this.assertCompiles(dto);
  }

  private assertCompiles(dto: UpdateTemplateDto): void {
    try {
      if (dto.title_template !== undefined) this.renderer.assertValid('title_template', dto.title_template);
      if (dto.message_template !== undefined) this.renderer.assertValid('message_template', dto.message_template);
    } catch (error) {
      if (!(error instanceof TemplateRenderError)) throw error;
      throw new BadRequestException({
        code: 'invalid_template',
        message: error.message,
        details: [{ field: error.field, messages: [error.message] }],
      });
    }
  }

  private notFound(name: string): NotFoundException {
    return new NotFoundException({ code: 'template_not_found', message: `No template named ${name}` });
  }
}
