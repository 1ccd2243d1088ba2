import { Inject, Injectable } from '@nestjs/common';
import type { ApiErrorDetail } from '../../common/api-error';
import { validationFailed } from '../../common/validation/validation.pipe';
import { IN_APP } from './channel-name';
import { CHANNEL_PROVIDERS, ChannelProvider, TextFormat } from './channel-provider';

/** How a template renders for a channel: its text format, and whether an HTML body goes beside it. */
export interface ChannelRendering {
  format: TextFormat;
  htmlBody: boolean;
}

/** `any` allows `*`; `queued` refuses in_app (a channel delivered by a provider); `each` words it for an array field. */
export interface ChannelCheckOptions {
  any?: boolean;
  queued?: boolean;
  each?: boolean;
}

/** The inbox is shown by apps as HTML, so the values an in-app template prints are HTML-escaped. */
const IN_APP_RENDERING: ChannelRendering = { format: 'html', htmlBody: false };

/**
 * The channels this module knows (in_app and one per provider, built-in or registered by the
 * host) and the one place that tells them apart: the planner, the renderer and the worker ask it
 * for a channel's providers instead of branching on the channel's name.
 */
@Injectable()
export class ChannelRegistry {
  private readonly byChannel = new Map<string, ChannelProvider[]>();

  constructor(@Inject(CHANNEL_PROVIDERS) providers: ChannelProvider[]) {
    for (const provider of providers) {
      const list = this.byChannel.get(provider.channel) ?? [];
      list.push(provider);
      this.byChannel.set(provider.channel, list);
    }
  }

  /** Every channel a send, template, preference or inbox filter may name, in_app first. */
  names(): string[] {
    return [IN_APP, ...this.byChannel.keys()];
  }

  /**
   * Throws 400 validation_failed naming `field` unless `channel` is a known channel (or `*`,
   * where `any` allows it; never in_app where `queued` asks for a channel delivered by a provider).
   */
  assertKnown(field: string, channel: string, options: ChannelCheckOptions = {}): void {
    const problem = this.unknownChannel(field, channel, options);
    if (problem) throw validationFailed([problem]);
  }

  /** What assertKnown would say of `channel` (null when it is known), for a caller that reports many fields at once. */
  unknownChannel(field: string, channel: string, options: ChannelCheckOptions = {}): ApiErrorDetail | null {
    if (this.byChannel.has(channel) || (channel === IN_APP && !options.queued) || (channel === '*' && options.any)) return null;
    const allowed = [...(options.queued ? [] : [IN_APP]), ...this.byChannel.keys(), ...(options.any ? ['*'] : [])];
    const subject = options.each ? `each value in ${field}` : field;
    return { field, messages: [`${subject} must be one of the following values: ${allowed.join(', ')}`] };
  }

  /** How text is rendered for the channel (the first provider's answer; in_app's own). */
  rendering(channel: string): ChannelRendering {
    if (channel === IN_APP) return IN_APP_RENDERING;
    const provider = this.byChannel.get(channel)?.[0];
    return provider ? { format: provider.format, htmlBody: provider.htmlBody ?? false } : IN_APP_RENDERING;
  }

  /** The channel's providers that can send now, in failover order. */
  ready(channel: string): ChannelProvider[] {
    return (this.byChannel.get(channel) ?? []).filter((provider) => provider.setupHint === null);
  }

  /** What to set up when no provider of the channel can send. */
  setupHint(channel: string): string {
    return this.byChannel.get(channel)?.find((provider) => provider.setupHint !== null)?.setupHint ?? `register a provider for ${channel}`;
  }
}
