import { type DynamicModule, Module } from '@nestjs/common';
import { DemoController } from './demo.controller';
import { DemoService } from './demo.service';

/** The demo page's session and test notification, over the service's own modules. */
@Module({})
export class DemoModule {
  static register(domainModules: DynamicModule[]): DynamicModule {
    return { module: DemoModule, imports: domainModules, controllers: [DemoController], providers: [DemoService] };
  }
}
