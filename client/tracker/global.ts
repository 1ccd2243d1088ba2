// The script-tag build (/tracker.js): the tracker as `window.engage`.
import { engage } from './tracker';

(window as unknown as { engage: typeof engage }).engage = engage;
