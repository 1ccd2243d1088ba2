import { Inject, Injectable } from '@nestjs/common';
import type { ApiErrorDetail } from '../../common/api-error';
import { Clock } from '../../common/clock';
import { validationFailed } from '../../common/validation/validation.pipe';
import { TransactionRunner } from '../../database/engine/transaction-runner';
import type { Tx } from '../../database/engine/tx';
import { ChannelRegistry } from '../delivery/channel-registry';
import { PreferenceCellDto, UpsertPreferenceDto } from '../dto/preference.dto';
import { NotificationPreference } from '../entities/notification-preference.entity';
import { NOTIFICATION_TRANSACTIONS } from '../notification.tokens';
import { NotificationTypeService } from '../notification-types/notification-type.service';
import { NotificationPreferenceRepository } from '../repositories/notification-preference.repository';
import { buildPreferenceMatrix, PreferenceMatrix } from './preference-matrix';
import { ANY, resolvePreference, ResolvedPreference, suppressionReason } from './preference-resolution';

type PreferenceKey = Pick<NotificationPreference, 'userId' | 'notificationType' | 'channel'>;

@Injectable()
export class PreferenceService {
  constructor(
    private readonly preferences: NotificationPreferenceRepository,
    private readonly types: NotificationTypeService,
    @Inject(NOTIFICATION_TRANSACTIONS) private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    private readonly channels: ChannelRegistry,
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

  /** Whether `type` may be sent to the user on `channel`, and which level said so. */
  async resolve(userId: string, type: string, channel: string): Promise<ResolvedPreference> {
    this.channels.assertKnown('channel', channel, { any: true });
    const db = this.transactions.reads;
    const candidates = await this.preferences.findCandidates(db, userId, [...new Set([type, ANY])], [...new Set([channel, ANY])]);
    return resolvePreference(candidates, type, channel, await this.types.settingsOf(db, type));
  }

  /** Why a send that `resolve` refused is suppressed, for the send's answer. */
  suppressionReason(userId: string, type: string, channel: string, resolved: ResolvedPreference): string {
    return suppressionReason(userId, type, channel, resolved);
  }

  /** Every known type on every channel, resolved for the user (GET ?view=matrix). */
  async matrix(userId: string): Promise<PreferenceMatrix> {
    const db = this.transactions.reads;
    const [stored, registry] = await Promise.all([this.preferences.findByUser(db, userId), this.types.list()]);
    return buildPreferenceMatrix(userId, stored, registry, this.channels.names());
  }

  /**
   * Sets many cells in one transaction: every cell is checked first (a known channel, each
   * (type, channel) once, no required type disabled) and one bad cell stores none, with a 400
   * naming each bad `cells[i].field`. Answers the matrix as it is after the commit.
   */
  async updateMatrix(userId: string, cells: PreferenceCellDto[]): Promise<PreferenceMatrix> {
    await this.transactions.run(async (tx) => {
      const problems = [...this.cellProblems(cells), ...(await this.requiredCellProblems(tx, cells))];
      if (problems.length > 0) throw validationFailed(problems.sort((a, b) => cellIndex(a) - cellIndex(b)));
      const existing = new Map((await this.preferences.findByUser(tx, userId)).map((row) => [keyOf(row), row]));
      for (const cell of cells) {
        const key = { userId, notificationType: cell.notification_type, channel: cell.channel };
        await this.store(tx, key, cell.enabled, existing.get(keyOf(key)) ?? null);
      }
    }, cells.length);
    return this.matrix(userId);
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

function requiredMessage(field: string, type: string): string {
  return `${field} cannot be false: notification_type "${type}" is required, so users cannot turn it off`;
}

function keyOf(preference: Pick<NotificationPreference, 'notificationType' | 'channel'>): string {
  return `${preference.notificationType}\u0000${preference.channel}`;
}

/** The index i of a `cells[i]…` field, to report problems in the cells' order. */
function cellIndex(detail: ApiErrorDetail): number {
  return Number(/^cells\[(\d+)\]/.exec(detail.field)?.[1] ?? 0);
}
