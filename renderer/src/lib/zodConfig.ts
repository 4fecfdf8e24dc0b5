// Imported first by main.tsx, before any module defines a schema: zod probes `Function('')`
// once to choose its compiled fast path, and our CSP (no unsafe-eval) refuses it, which
// Chromium reports as a violation. jitless: never probe (the renderer parses little).
import { z } from 'zod';

z.config({ jitless: true });
