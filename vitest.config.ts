// Unit tests: pure lib/ code in Node (DOM from linkedom/happy-dom where a test needs one).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts', 'tests/**/*.test.tsx'],
    exclude: ['tests/browser/**', 'node_modules/**'],
    testTimeout: 30_000,
  },
});
