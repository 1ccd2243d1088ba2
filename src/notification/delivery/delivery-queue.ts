/** A delivery job that is pending: new, or waiting for its retry. */
export interface PendingDelivery {
  notificationId: string;
  runAt: Date;
  /** 0 urgent … 3 low. */
  priority: number;
  attempts: number;
}

/**
 * Makes sure a worker takes a pending job at its time. The job row in the notification database
 * stays the source of truth; a queue only says when to look at it.
 */
export interface DeliveryQueue {
  schedule(job: PendingDelivery): Promise<void>;
}

/** DI token of the DeliveryQueue in use: the embedded dispatcher, or BullMQ when REDIS_URL is set. */
export const DELIVERY_QUEUE = Symbol('DELIVERY_QUEUE');
