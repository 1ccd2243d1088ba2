import { Module } from '@nestjs/common';
import { Clock } from './clock';
import { IdGenerator } from './id-generator';

/** Providers every domain module needs; imported by each so the modules stand alone in a host app. */
@Module({
  providers: [Clock, IdGenerator],
  exports: [Clock, IdGenerator],
})
export class CommonModule {}
