import { Inject, Injectable } from '@nestjs/common';
import type { ApiErrorDetail } from '../../common/api-error';
import { Clock } from '../../common/clock';
import { validationFailed } from '../../common/validation/validation.pipe';
import { TransactionRunner } from '../../database/engine/transaction-runner';
import type { Tx } from '../../database/engine/tx';
import { ChannelRegistry } from '../delivery/channel-registry';
import { DigestChoiceDto, PreferenceCellDto, UpsertPreferenceDto } from '../dto/preference.dto';
import { DigestPreferenceRepository } from '../repositories/digest-preference.repository';
import { NotificationPreference } from '../entities/notification-preference.entity';
import { NOTIFICATION_TRANSACTIONS } from '../notification.tokens';
import { NotificationTypeService } from '../notification-types/notification-type.service';
import { NotificationPreferenceRepository } from '../repositories/notification-preference.repository';
import { buildPreferenceMatrix, PreferenceMatrix } from './preference-matrix';
import { ANY, resolvePreference, ResolvedPreference, suppressionReason, type TypeSettings } from './preference-resolution';
import type { NotificationTemplate } from '../entities/notification-template.entity';
import { NotificationTemplateRepository } from '../repositories/notification-template.repository';

type PreferenceKey = Pick<NotificationPreference, 'userId' | 'notificationType' | 'channel'>;

@Injectable()
export class PreferenceService {
  constructor(
    private readonly preferences: NotificationPreferenceRepository,
    private readonly types: NotificationTypeService,
    @Inject(NOTIFICATION_TRANSACTIONS) private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    private readonly channels: ChannelRegistry,
    private readonly digestChoices: DigestPreferenceRepository,
    private readonly templates: NotificationTemplateRepository,
  ) {}

  /** Creates or changes one preference; created_at survives changes. A required type cannot be disabled. */
  upsert(dto: UpsertPreferenceDto): Promise<NotificationPreference> {
    this.channels.assertKnown('channel', dto.channel, { any: true });
    const key = { userId: dto.user_id, notificationType: dto.notification_type, channel: dto.channel };
    return this.transactions.run(async (tx) => {
      // Read in the transaction: a type made required meanwhile is either seen here or made after this commit.
      if (!dto.enabled && (await this.isRequired(tx, dto.notification_type))) {
        throw validationFailed([{ field: 'enabled', messages: [requiredMessage('enabled', dto.notification_type)] }]);
      }
      return this.store(tx, key, dto.enabled, await this.preferences.findOne(tx, key));
    });
  }

  listForUser(userId: string): Promise<NotificationPreference[]> {
    return this.preferences.findByUser(this.transactions.reads, userId);
  }

  /**
   * Whether `type` may be sent to the user on `channel`, and which level said so. Where the
   * registry has no entry, the type's default is its template's: `templateDefault` for a send by
   * template (that template's), else the one the matrix shows for the type.
   */
  async resolve(userId: string, type: string, channel: string, templateDefault?: boolean | null): Promise<ResolvedPreference> {
    this.channels.assertKnown('channel', channel, { any: true });
    const db = this.transactions.reads;
    const candidates = await this.preferences.findCandidates(db, userId, [...new Set([type, ANY])], [...new Set([channel, ANY])]);
    const registered = await this.types.settingsOf(db, type);
    if (registered) return resolvePreference(candidates, type, channel, registered);
    const fallback =
      templateDefault !== undefined
        ? templateDefault
        : (templateDefaults(await this.templates.findSendingType(db, type)).get(type) ?? null);
    return resolvePreference(candidates, type, channel, templateSettings(fallback));
  }

  /** Why a send that `resolve` refused is suppressed, for the send's answer. */
  suppressionReason(userId: string, type: string, channel: string, resolved: ResolvedPreference): string {
    return suppressionReason(userId, type, channel, resolved);
  }

  /** Every known type on every channel, resolved for the user (GET ?view=matrix). */
  async matrix(userId: string): Promise<PreferenceMatrix> {
    const db = this.transactions.reads;
    const [stored, registry, digests, templates] = await Promise.all([
      this.preferences.findByUser(db, userId),
      this.types.list(),
      this.digestChoices.findByUser(db, userId),
      this.templates.listAll(db),
    ]);
    return buildPreferenceMatrix(userId, stored, registry, this.channels.names(), digests, templateDefaults(templates));
  }

  /**
   * Sets many cells and digest choices in one transaction: everything is checked first (a known
   * channel, each (type, channel) and each digest type once, no required type disabled or
   * digested) and one bad entry stores nothing, with a 400 naming each bad `cells[i].field` or
   * `digests[i].field`. Answers the matrix as it is after the commit.
   */
  async updateMatrix(userId: string, cells: PreferenceCellDto[] = [], digests: DigestChoiceDto[] = []): Promise<PreferenceMatrix> {
    if (cells.length === 0 && digests.length === 0) {
      const message = 'give cells, digests or both';
      throw validationFailed(['cells', 'digests'].map((field) => ({ field, messages: [message] })));
    }
    await this.transactions.run(async (tx) => {
      const problems = [
        ...this.cellProblems(cells),
        ...(await this.requiredCellProblems(tx, cells)),
        ...(await this.digestProblems(tx, digests)),
      ];
      if (problems.length > 0) throw validationFailed(problems.sort(byPosition));
      const existing = new Map((await this.preferences.findByUser(tx, userId)).map((row) => [keyOf(row), row]));
      for (const cell of cells) {
        const key = { userId, notificationType: cell.notification_type, channel: cell.channel };
        await this.store(tx, key, cell.enabled, existing.get(keyOf(key)) ?? null);
      }
      const now = this.clock.now();
      for (const choice of digests) {
        if (choice.digest === null) await this.digestChoices.remove(tx, userId, choice.notification_type);
        else
          await this.digestChoices.save(tx, {
            userId,
            notificationType: choice.notification_type,
            frequency: choice.digest,
            updatedAt: now,
          });
      }
    }, cells.length + digests.length);
    return this.matrix(userId);
  }

  /** Repeated types, and digests asked of a required type (it always goes out at once). */
  private async digestProblems(tx: Tx, digests: DigestChoiceDto[]): Promise<ApiErrorDetail[]> {
    const problems: ApiErrorDetail[] = [];
    const seen = new Map<string, number>();
    digests.forEach((choice, index) => {
      const first = seen.get(choice.notification_type);
      if (first === undefined) seen.set(choice.notification_type, index);
      else problems.push({ field: `digests[${index}]`, messages: [`digests[${index}] sets the same type as digests[${first}]`] });
    });
    const digesting = [...new Set(digests.filter((c) => c.digest !== null && c.digest !== 'instant').map((c) => c.notification_type))];
    const registered = await this.types.findMany(
      tx,
      digesting.filter((type) => type !== ANY),
    );
    digests.forEach((choice, index) => {
      if (choice.digest === null || choice.digest === 'instant' || !registered.get(choice.notification_type)?.required) return;
      const field = `digests[${index}].digest`;
      problems.push({
        field,
        messages: [
          `${field} must be instant or null: notification_type "${choice.notification_type}" is required, so it always goes out at once`,
        ],
      });
    });
    return problems;
  }

  private async store(
    tx: Tx,
    key: PreferenceKey,
    enabled: boolean,
    existing: NotificationPreference | null,
  ): Promise<NotificationPreference> {
    const now = this.clock.now();
    if (existing) {
      existing.enabled = enabled;
      existing.updatedAt = now;
      await this.preferences.setEnabled(tx, existing);
      return existing;
    }
    const created = Object.assign(new NotificationPreference(), { ...key, enabled, createdAt: now, updatedAt: now });
    await this.preferences.insert(tx, created);
    return created;
  }

  private async isRequired(tx: Tx, type: string): Promise<boolean> {
    return type !== ANY && ((await this.types.settingsOf(tx, type))?.required ?? false);
  }

  /** Unknown channels and repeated (type, channel) pairs: what is wrong with the cells on their own. */
  private cellProblems(cells: PreferenceCellDto[]): ApiErrorDetail[] {
    const problems: ApiErrorDetail[] = [];
    const seen = new Map<string, number>();
    cells.forEach((cell, index) => {
      const unknown = this.channels.unknownChannel(`cells[${index}].channel`, cell.channel, { any: true });
      if (unknown) problems.push(unknown);
      const key = keyOf({ notificationType: cell.notification_type, channel: cell.channel });
      const first = seen.get(key);
      if (first === undefined) seen.set(key, index);
      else problems.push({ field: `cells[${index}]`, messages: [`cells[${index}] sets the same type and channel as cells[${first}]`] });
    });
    return problems;
  }

  /** The cells that would disable a required type. */
  private async requiredCellProblems(tx: Tx, cells: PreferenceCellDto[]): Promise<ApiErrorDetail[]> {
    const disabling = [...new Set(cells.filter((cell) => !cell.enabled && cell.notification_type !== ANY).map((c) => c.notification_type))];
    const registered = await this.types.findMany(tx, disabling);
    return cells.flatMap((cell, index) =>
      !cell.enabled && registered.get(cell.notification_type)?.required
        ? [{ field: `cells[${index}].enabled`, messages: [requiredMessage(`cells[${index}].enabled`, cell.notification_type)] }]
        : [],
    );
  }
}

/** A template's default as the settings of its type (not required: only the registry makes a type required). */
function templateSettings(defaultEnabled: boolean | null): TypeSettings | null {
  return defaultEnabled === null ? null : { defaultEnabled, required: false };
}

/**
 * The type each template sends (its category, else its name) with the template's default, for
 * the matrix. Several templates of one type: the one named like the type, else the first by name
 * that has a default.
 */
function templateDefaults(templates: NotificationTemplate[]): Map<string, boolean | null> {
  const defaults = new Map<string, boolean | null>();
  for (const template of templates) {
    const type = template.category ?? template.name;
    if ((defaults.get(type) ?? null) === null) defaults.set(type, template.defaultEnabled);
  }
  for (const template of templates) {
    if (template.name === (template.category ?? template.name) && template.defaultEnabled !== null)
      defaults.set(template.name, template.defaultEnabled);
  }
  return defaults;
}

function requiredMessage(field: string, type: string): string {
  return `${field} cannot be false: notification_type "${type}" is required, so users cannot turn it off`;
}

function keyOf(preference: Pick<NotificationPreference, 'notificationType' | 'channel'>): string {
  return `${preference.notificationType}\u0000${preference.channel}`;
}

/** Problems in the body's order: the cells first, then the digests, each by index. */
function byPosition(a: ApiErrorDetail, b: ApiErrorDetail): number {
  const position = (detail: ApiErrorDetail) => {
    const match = /^(cells|digests)\[(\d+)\]/.exec(detail.field);
    return match ? (match[1] === 'cells' ? 0 : 1_000_000) + Number(match[2]) : 0;
  };
  return position(a) - position(b);
}
