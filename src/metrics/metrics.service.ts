import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

let processMetrics: Registry | undefined;

/**
 * The process's own metrics (CPU, memory, event-loop lag, GC), collected once per process: they
 * describe the process, not an app, and each collection starts observers that live as long as it.
 */
function processRegistry(): Registry {
  if (!processMetrics) {
    processMetrics = new Registry();
    collectDefaultMetrics({ register: processMetrics, prefix: 'engage_' });
  }
  return processMetrics;
}

/**
 * Engage's Prometheus metrics, in a registry of its own (a host app's default registry is left
 * alone). Modules record into it where the events happen; GET /metrics reads it.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  readonly httpRequests = new Counter({
    name: 'engage_http_requests_total',
    help: 'HTTP requests answered, by route template, method and status',
    labelNames: ['route', 'method', 'status'] as const,
    registers: [this.registry],
  });

  readonly httpDuration = new Histogram({
    name: 'engage_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by route template and method',
    labelNames: ['route', 'method'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  readonly ingestedEvents = new Counter({
    name: 'engage_ingest_events_total',
    help: 'Tracked events taken through ingest, by outcome (accepted, duplicate, rejected)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly deliveryAttempts = new Counter({
    name: 'engage_delivery_attempts_total',
    help: 'Delivery attempts, by channel, provider and outcome',
    labelNames: ['channel', 'provider', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly deliveryDuration = new Histogram({
    name: 'engage_delivery_attempt_duration_seconds',
    help: 'Time a delivery attempt took, by channel and provider',
    labelNames: ['channel', 'provider'] as const,
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly sqliteBusyRetries = new Counter({
    name: 'engage_sqlite_busy_retries_total',
    help: 'Times a transaction found another process holding the write lock and tried again, by database',
    labelNames: ['database'] as const,
    registers: [this.registry],
  });

  readonly sqliteTransactionUnits = new Histogram({
    name: 'engage_sqlite_transaction_units',
    help: 'Units of work (requests, mostly) committed together in one transaction (group commit), by database',
    labelNames: ['database'] as const,
    buckets: [1, 2, 5, 10, 25, 50, 100, 256],
    registers: [this.registry],
  });

  readonly sqliteStorageErrors = new Counter({
    name: 'engage_sqlite_storage_errors_total',
    help: 'Transactions failed by the storage (SQLITE_FULL, SQLITE_IOERR…), by database and SQLite code',
    labelNames: ['database', 'code'] as const,
    registers: [this.registry],
  });

  /** A gauge whose value is read when /metrics is scraped (queue depth, transaction counts…). */
  gauge(name: string, help: string, read: () => number | Promise<number>): void {
    new Gauge({
      name,
      help,
      registers: [this.registry],
      async collect() {
        this.set(await read());
      },
    });
  }

  text(): Promise<string> {
    return Registry.merge([this.registry, processRegistry()]).metrics();
  }
}
