/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }],
  },
  // Sources import siblings with explicit `.js` extensions (required by Node's ESM loader);
  // under Jest the `.ts` file is what exists.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  collectCoverageFrom: ['operators/**/*.ts', 'src/**/*.ts'],
  coverageReporters: ['text-summary', 'lcov'],
  coverageThreshold: {
    './operators/': { lines: 95 },
  },
  testTimeout: 30000,
  reporters: ['default', '<rootDir>/scripts/summary-reporter.cjs'],
};
