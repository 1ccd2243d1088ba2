import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';

/** Makes the ids of new rows: random UUIDs (v4), cheap and unguessable. */
@Injectable()
export class IdGenerator {
  next(): string {
    return randomUUID();
  }
}
