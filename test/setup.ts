// Many tests run the CLI synchronously (spawnSync). Between tests, yield to the event loop's macrotask
// queue so the test worker answers vitest's RPC heartbeats (otherwise a long file of synchronous tests
// ends with "Timeout calling onTaskUpdate").
import { afterEach } from 'vitest';

afterEach(() => new Promise<void>((resolve) => setTimeout(resolve, 0)));
