import { DynamicModule, Module } from '@nestjs/common';
import { PrivacyController } from './privacy.controller';

/**
 * Export and erasure across both domain modules. It is handed the very module instances the host
 * registered, so it reaches their exported services without registering them twice.
 */
@Module({})
export class PrivacyModule {
  static register(domainModules: DynamicModule[]): DynamicModule {
    return { module: PrivacyModule, imports: domainModules, controllers: [PrivacyController] };
  }
}
