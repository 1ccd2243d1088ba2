import { Injectable } from '@nestjs/common';

/** The source of "now" for every rule that depends on time; tests replace it to control time. */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}
