/**
 * The public API of Engage as a library: what a host Nest app imports. Everything else under
 * src/ is internal and may change without notice.
 */

// Modules and their options.
export { EngageModule, ENGAGE_MODULE_OPTIONS } from './engage.module';
export type { EngageModuleOptions, EngageModuleAsyncOptions } from './engage.module';
export { ActivityModule } from './activity/activity.module';
export type { ActivityModuleOptions } from './activity/activity-module.definition';
export { NotificationModule } from './notification/notification.module';
export type { NotificationModuleOptions } from './notification/notification-module.definition';
export { AuthModule, AUTH_MODULE_OPTIONS } from './auth/auth.module';
export type { AuthModuleOptions, AuthModuleAsyncOptions } from './auth/auth.module';
export type { AuthConfig } from './config/auth.config';
export type { DeliveryConfig } from './config/delivery.config';
export type { HostDataSource } from './database/host-data-source';

// Authentication: who is calling, and a host's own way of saying so.
export type { Principal } from './auth/principal';
export { RESOLVE_PRINCIPAL } from './auth/resolve-principal';
export type { ResolvePrincipal } from './auth/resolve-principal';
export { ApiKeyService } from './auth/api-key.service';
export { UserTokenService } from './auth/user-token.service';

// The services a host calls directly.
export { ActivityService } from './activity/activity.service';
export { SessionService } from './activity/session.service';
export { AnalyticsService } from './activity/analytics.service';
export { NotificationService } from './notification/notification.service';
export { PreferenceService } from './notification/preferences/preference.service';
export { NotificationTypeService } from './notification/notification-types/notification-type.service';
export type { PreferenceSource } from './notification/preferences/preference-resolution';
export { TemplateService } from './notification/templates/template.service';
export { DeviceService } from './notification/devices/device.service';
export { ContactService } from './notification/contacts/contact.service';

// Channels: the interface a host's own channel implements, and where to register it.
export type {
  ChannelProvider,
  OutboundMessage,
  ProviderResult,
  RecipientSources,
  TextFormat,
} from './notification/delivery/channel-provider';
export { CHANNEL_PROVIDERS } from './notification/delivery/channel-provider';
export { DeliveryError } from './notification/delivery/delivery-error';
export { OutboundHttp } from './notification/delivery/outbound-http';
export type { NotificationModuleExtras } from './notification/notification-module.definition';

// Request and response bodies of the HTTP API (what clients send and get), and their limits.
export {
  TrackActivityDto,
  TrackActivityResponseDto,
  TrackBatchDto,
  BatchEventResultDto,
  TrackBatchResponseDto,
  MAX_METADATA_BYTES,
  MAX_BATCH_EVENTS,
  MAX_EVENT_BYTES,
} from './activity/dto/activity.dto';
export { RankedCountDto, UserAnalyticsDto, UserAnalyticsResponseDto } from './activity/dto/analytics.dto';
export { IdentifyDto, IdentifyResponseDto } from './activity/dto/identify.dto';
export {
  OverviewQueryDto,
  FunnelDto,
  RetentionQueryDto,
  RankedKeyDto,
  OverviewPeriodDto,
  OverviewTotalsDto,
  OverviewResponseDto,
  FunnelStepDto,
  FunnelResponseDto,
  CohortRowDto,
  RetentionResponseDto,
} from './activity/dto/insights.dto';
export { StartSessionDto, SessionIdParamDto, StartSessionResponseDto, SessionDto, EndSessionResponseDto } from './activity/dto/session.dto';
export { CreateUserTokenDto, RevokeUserTokensDto, RevokeUserTokensResponseDto, UserTokenResponseDto } from './auth/dto/user-token.dto';
export { UpsertContactDto, ContactDto, ContactResponseDto } from './notification/dto/contact.dto';
export { DeliveryDto, DeliveriesResponseDto } from './notification/dto/delivery.dto';
export { RegisterDeviceDto, RegisterDeviceResponseDto } from './notification/dto/device.dto';
export {
  SendNotificationDto,
  SendNotificationResponseDto,
  InboxQueryDto,
  NotificationIdParamDto,
  NotificationDto,
  InboxResponseDto,
  MarkReadResponseDto,
  MAX_DATA_BYTES,
} from './notification/dto/notification.dto';
export {
  UpsertPreferenceDto,
  PreferenceUserParamDto,
  EffectivePreferenceParamDto,
  PreferenceDto,
  PreferenceResponseDto,
  PreferenceListResponseDto,
  MatchedPreferenceDto,
  EffectivePreferenceDto,
  EffectivePreferenceResponseDto,
  PreferenceViewQueryDto,
  PreferenceCellDto,
  UpdatePreferenceMatrixDto,
  PreferenceMatrixCellDto,
  PreferenceMatrixTypeDto,
  PreferenceMatrixResponseDto,
  MAX_MATRIX_CELLS,
} from './notification/dto/preference.dto';
export {
  NotificationTypeParamDto,
  PutNotificationTypeDto,
  NotificationTypeDto,
  NotificationTypeResponseDto,
  NotificationTypeListResponseDto,
  DeleteNotificationTypeResponseDto,
} from './notification/dto/notification-type.dto';
export { RetryFailedDto, RetryResponseDto } from './notification/dto/redelivery.dto';
export {
  CreateTemplateDto,
  UpdateTemplateDto,
  TemplateNameParamDto,
  TemplateDto,
  TemplateResponseDto,
  TemplateListResponseDto,
  DeleteTemplateResponseDto,
} from './notification/dto/template.dto';
export {
  TemplateLocaleParamDto,
  PutTemplateLocaleDto,
  TemplateLocaleDto,
  TemplateLocaleResponseDto,
  TemplateLocaleListResponseDto,
  DeleteTemplateLocaleResponseDto,
} from './notification/dto/template-locale.dto';
export { ExportResponseDto, ErasedCountsDto, EraseResponseDto } from './privacy/privacy.dto';
export { ErrorResponseDto, ErrorBodyDto, ErrorDetailDto } from './common/http/error-response.dto';
