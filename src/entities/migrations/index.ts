import { CreateWorker1763900000000 } from './1763900000000-create-worker';

/** Every migration, oldest first. */
export const migrations = [CreateWorker1763900000000];
