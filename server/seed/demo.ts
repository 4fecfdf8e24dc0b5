// Demo organisation (filled in below).
import type { Services } from '../services';
export function seedDemo(_svc: Services): void {
  throw new Error('demo seed not written yet');
}
