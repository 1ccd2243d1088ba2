import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { NotificationTemplateLocale } from '../entities/notification-template-locale.entity';
import type { Db, Tx } from '../../database/engine/tx';

/** A template's locale variants; every query is served by the primary key (template_id, locale). */
@Injectable()
export class NotificationTemplateLocaleRepository {
  findOne(db: Db, templateId: string, locale: string): Promise<NotificationTemplateLocale | null> {
    return db.findOneBy(NotificationTemplateLocale, { templateId, locale });
  }

  /** The template's variants among `locales`, in no particular order. */
  findAmong(db: Db, templateId: string, locales: string[]): Promise<NotificationTemplateLocale[]> {
    return db.findBy(NotificationTemplateLocale, { templateId, locale: In(locales) });
  }

  /** All of the template's variants, by locale. */
  listByTemplate(db: Db, templateId: string): Promise<NotificationTemplateLocale[]> {
    return db.find(NotificationTemplateLocale, { where: { templateId }, order: { locale: 'ASC' } });
  }

  countByTemplate(db: Db, templateId: string): Promise<number> {
    return db.countBy(NotificationTemplateLocale, { templateId });
  }

  /** Inserts the variant or replaces the one of its template and locale. */
  async store(tx: Tx, variant: NotificationTemplateLocale): Promise<void> {
    await tx.upsert(NotificationTemplateLocale, variant, ['templateId', 'locale']);
  }

  /** True when there was such a variant. */
  async deleteOne(tx: Tx, templateId: string, locale: string): Promise<boolean> {
    const result = await tx.delete(NotificationTemplateLocale, { templateId, locale });
    return (result.affected ?? 0) > 0;
  }

  async deleteByTemplate(tx: Tx, templateId: string): Promise<void> {
    await tx.delete(NotificationTemplateLocale, { templateId });
  }
}
