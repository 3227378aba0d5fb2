// typescript-eslint's recommended rules on all TypeScript. n8n's community-package rules (for
// package.json, nodes/** and credentials/**, source and packed tarball) run through
// scripts/scan-package.mjs, with the scanner's own configuration.
import tseslint from 'typescript-eslint';

export default tseslint.config(
	{ ignores: ['dist/**', 'node_modules/**', 'gulpfile.js', 'eslint.config.mjs', 'scripts/*.mjs', '.e2e-logs/**', 'bench/tmp/**'] },
	{
		files: ['**/*.ts'],
		extends: [tseslint.configs.recommended],
		rules: {
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
		},
	},
);
