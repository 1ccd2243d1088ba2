import { DynamicModule, Module } from '@nestjs/common';
import { PrivacyController } from './privacy.controller';
import { PrivacyService } from './privacy.service';

/**
 * Export and erasure across both domain modules (and the user's tokens). It is handed the very
 * module instances the host registered, so it reaches their exported services without
 * registering them twice.
 */
@Module({})
export class PrivacyModule {
  static register(domainModules: DynamicModule[]): DynamicModule {
    return { module: PrivacyModule, imports: domainModules, controllers: [PrivacyController], providers: [PrivacyService] };
  }
}
