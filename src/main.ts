import { relaunchWithHeapCap } from './heap-cap';

// `node dist/src/main.js`: the HTTP service. Nothing else is loaded before the heap cap is
// settled, so a launcher that only starts the capped child stays small (see heap-cap.ts).
if (!relaunchWithHeapCap()) void import('./service-bootstrap.js').then(({ startService }) => startService());
