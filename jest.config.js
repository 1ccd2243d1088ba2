// Nest 12 ships ES modules; Jest runs CommonJS, so @swc/jest transpiles both our
// TypeScript and the ESM packages under node_modules that Jest would otherwise refuse.
const swcOptions = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};

/** The browser code (client/): TSX with React's automatic runtime, in jsdom. */
const clientSwcOptions = {
  jsc: {
    parser: { syntax: 'typescript', tsx: true },
    transform: { react: { runtime: 'automatic' } },
    target: 'es2022',
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};

/** @type {import('jest').Config} */
module.exports = {
  testTimeout: 30000,
  projects: [
    {
      displayName: 'service',
      testEnvironment: 'node',
      roots: ['<rootDir>/src', '<rootDir>/test', '<rootDir>/migrations'],
      testRegex: '.*\\.(spec|e2e-spec)\\.ts$',
      moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
      transform: {
        '^.+\\.ts$': ['@swc/jest', swcOptions],
        '^.+\\.m?js$': ['@swc/jest', { ...swcOptions, jsc: { ...swcOptions.jsc, parser: { syntax: 'ecmascript' } } }],
      },
      transformIgnorePatterns: ['/node_modules/(?!(@nestjs|uid|load-esm|file-type)/)'],
      // Writes the build's OpenAPI document, the contract every test app's answers are held to.
      globalSetup: '<rootDir>/test/support/openapi-global-setup.ts',
    },
    {
      displayName: 'client',
      testEnvironment: 'jsdom',
      roots: ['<rootDir>/client'],
      testRegex: '.*\\.spec\\.tsx?$',
      moduleFileExtensions: ['tsx', 'ts', 'js', 'json'],
      transform: { '^.+\\.tsx?$': ['@swc/jest', clientSwcOptions] },
    },
  ],
};
