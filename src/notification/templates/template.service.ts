import { BadRequestException, ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { Clock } from '../../common/clock';
import { IdGenerator } from '../../common/id-generator';
import { TransactionRunner } from '../../database/engine/transaction-runner';
import { ChannelRegistry } from '../delivery/channel-registry';
import { validationFailed } from '../../common/validation/validation.pipe';
import type { Db } from '../../database/engine/tx';
import { CreateTemplateDto, UpdateTemplateDto } from '../dto/template.dto';
import { PutTemplateLocaleDto } from '../dto/template-locale.dto';
import { NotificationTemplate } from '../entities/notification-template.entity';
import { NotificationTemplateLocale } from '../entities/notification-template-locale.entity';
import { NOTIFICATION_TRANSACTIONS } from '../notification.tokens';
import { NotificationTemplateRepository } from '../repositories/notification-template.repository';
import { NotificationTemplateLocaleRepository } from '../repositories/notification-template-locale.repository';
import { canonicalLocale, localeFallbacks } from './locale-tag';
import { TemplateRenderError, TemplateRenderer } from './template-renderer';

/** A bound on one template's variants, and so on the list answer: far more locales than a product ships. */
export const MAX_TEMPLATE_LOCALES = 200;

/** Templates and their per-locale variants. */
@Injectable()
export class TemplateService {
  constructor(
    private readonly templates: NotificationTemplateRepository,
    private readonly locales: NotificationTemplateLocaleRepository,
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
        defaultEnabled: dto.default_enabled ?? null,
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
        ...(dto.default_enabled !== undefined && { defaultEnabled: dto.default_enabled }),
        ...(dto.data_schema !== undefined && { dataSchema: dto.data_schema }),
        updatedAt: this.clock.now(),
      });
      await this.templates.update(tx, template);
      return template;
    });
  }

  /** Deletes the template and its locale variants. */
  remove(name: string): Promise<void> {
    return this.transactions.run(async (tx) => {
      const template = await this.templates.findByName(tx, name);
      if (!template) throw this.notFound(name);
      await this.locales.deleteByTemplate(tx, template.id);
      await this.templates.deleteById(tx, template.id);
    });
  }

  /** Stores the template's text in `locale` (its canonical form), replacing what that locale had. */
  putLocale(name: string, locale: string, dto: PutTemplateLocaleDto): Promise<NotificationTemplateLocale> {
    const canonical = this.canonical(locale);
    this.assertCompiles(dto);
    return this.transactions.run(async (tx) => {
      const template = await this.templates.findByName(tx, name);
      if (!template) throw this.notFound(name);
      const existing = await this.locales.findOne(tx, template.id, canonical);
      if (!existing && (await this.locales.countByTemplate(tx, template.id)) >= MAX_TEMPLATE_LOCALES) {
        throw new ConflictException({
          code: 'too_many_template_locales',
          message: `Template ${name} already has ${MAX_TEMPLATE_LOCALES} locale variants; delete one first`,
        });
      }
      const now = this.clock.now();
      const variant = Object.assign(new NotificationTemplateLocale(), {
        templateId: template.id,
        locale: canonical,
        titleTemplate: dto.title_template,
        messageTemplate: dto.message_template,
        createdAt: existing?.createdAt ?? now,
        updatedAt: now,
      });
      await this.locales.store(tx, variant);
      return variant;
    });
  }

  async listLocales(name: string): Promise<NotificationTemplateLocale[]> {
    const db = this.transactions.reads;
    const template = await this.templates.findByName(db, name);
    if (!template) throw this.notFound(name);
    return this.locales.listByTemplate(db, template.id);
  }

  removeLocale(name: string, locale: string): Promise<void> {
    const canonical = this.canonical(locale);
    return this.transactions.run(async (tx) => {
      const template = await this.templates.findByName(tx, name);
      if (!template) throw this.notFound(name);
      if (!(await this.locales.deleteOne(tx, template.id, canonical))) {
        throw new NotFoundException({ code: 'template_locale_not_found', message: `Template ${name} has no ${canonical} variant` });
      }
    });
  }

  /**
   * The variant a send in the canonical `locale` renders: the first of its fallback chain
   * (`pt-BR`, then `pt`) that the template has, or null for the template's own text. Both sides
   * are canonical forms, so `PT-br` asked and `pt-BR` stored are one string.
   */
  async variantFor(db: Db, templateId: string, locale: string): Promise<NotificationTemplateLocale | null> {
    const fallbacks = localeFallbacks(locale);
    const found = new Map((await this.locales.findAmong(db, templateId, fallbacks)).map((variant) => [variant.locale, variant]));
    return fallbacks.map((candidate) => found.get(candidate)).find((variant) => variant !== undefined) ?? null;
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

  /** The tag's canonical form; a 400 naming `locale` for a bad one from a caller the route's DTO did not check (a host app). */
  private canonical(locale: string): string {
    const canonical = canonicalLocale(locale);
    if (!canonical) throw validationFailed([{ field: 'locale', messages: ['locale must be a BCP 47 language tag such as pt-BR'] }]);
    return canonical;
  }

  private notFound(name: string): NotFoundException {
    return new NotFoundException({ code: 'template_not_found', message: `No template named ${name}` });
  }
}
