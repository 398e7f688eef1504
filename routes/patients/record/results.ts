// (to be written)
import { Router } from 'express';
import type { Services } from '../../../app.ts';

export function resultRoutes(_services: Services): Router {
  return Router();
}
