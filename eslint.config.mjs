import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

const componentTags = ['type:component', 'type:model', 'type:math'];

export default [
  { ignores: ['**/dist/**', '**/node_modules/**', '**/.nx/**', 'out/**', 'tools/**/*.py'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.mts'],
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']", message: 'Use the run\'s Rng (ctx.rng) so explanations are reproducible.' },
      ],
      '@nx/enforce-module-boundaries': [
        'error',
        {
          allow: [],
          // The composition root loads each component package on first use (packages/lime/src/
          // builtin-loaders.ts) and also imports them all for listings (builtins.ts): both on purpose.
          checkDynamicDependenciesExceptions: ['@limekit/*'],
          depConstraints: [
            {
              // Core is the contract: no model runtime, no image library, no DI runtime.
              sourceTag: 'type:core',
              onlyDependOnLibsWithTags: [],
              bannedExternalImports: ['onnxruntime-*', 'sharp', 'tsyringe', 'reflect-metadata', '@tensorflow/*', 'ml-matrix'],
            },
            { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:core'], bannedExternalImports: ['tsyringe', 'reflect-metadata'] },
            { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:core'], bannedExternalImports: ['tsyringe', 'reflect-metadata', 'onnxruntime-*', '@tensorflow/*'] },
            // Dense linear algebra (@limekit/linalg): ml-matrix behind a Float64Array API, shared by components.
            { sourceTag: 'type:math', onlyDependOnLibsWithTags: ['type:core'], bannedExternalImports: ['tsyringe', 'reflect-metadata', 'onnxruntime-*', '@tensorflow/*', 'sharp'] },
            {
              // Components know core (and, for composite algorithms, other components), never the
              // composition layer or the apps; they may name tsyringe only in type positions.
              sourceTag: 'type:component',
              onlyDependOnLibsWithTags: ['type:core', 'type:testing', ...componentTags],
              bannedExternalImports: ['reflect-metadata', 'sharp'],
            },
            // A model made of models (the scaffold): it composes adapters it is given and may use the
            // pure libraries (@limekit/manifold's detector); it never loads a runtime itself.
            { sourceTag: 'type:composite-model', onlyDependOnLibsWithTags: ['type:core', 'type:lib', 'type:testing', ...componentTags], bannedExternalImports: ['tsyringe', 'reflect-metadata', 'onnxruntime-*', '@tensorflow/*', 'sharp'] },
            { sourceTag: 'type:composition', onlyDependOnLibsWithTags: ['type:core', 'type:lib', 'type:testing', ...componentTags] },
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:core', 'type:lib', 'type:composition', 'type:testing', ...componentTags] },
            { sourceTag: 'type:tools', onlyDependOnLibsWithTags: ['type:core', 'type:lib', 'type:composition', 'type:testing', 'type:app', ...componentTags] },
          ],
        },
      ],
    },
  },
  {
    // Tests may decode fixture images with sharp and draw random numbers freely.
    files: ['**/*.spec.ts', '**/test/**/*.ts'],
    rules: { 'no-restricted-syntax': 'off', '@nx/enforce-module-boundaries': 'off' },
  },
  {
    // Nx loads local generators with require(); they stay plain CommonJS.
    files: ['**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
];
