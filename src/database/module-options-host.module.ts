import { DynamicModule, Module } from '@nestjs/common';

/**
 * Holds a dynamic module's options provider so that both the module and the TypeORM root
 * it imports can inject the options (a module cannot hand its own providers to its imports).
 */
@Module({})
export class ModuleOptionsHostModule {
  static wrap(base: DynamicModule, optionsToken: string | symbol): DynamicModule {
    return {
      module: ModuleOptionsHostModule,
      imports: base.imports ?? [],
      providers: base.providers ?? [],
      exports: [optionsToken],
    };
  }
}
