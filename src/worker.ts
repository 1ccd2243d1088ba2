import { relaunchWithHeapCap } from './heap-cap';

// `node dist/src/worker.js`: a delivery-only process, under the same heap cap as the service.
if (!relaunchWithHeapCap()) void import('./worker-bootstrap.js').then(({ startWorker }) => startWorker());
