/**
 * n8n-core keeps its instance settings (an encryption key) in `$N8N_USER_FOLDER/.n8n`, the home directory by
 * default. Tests must not write there: imported before n8n-core first builds a context (and preloaded by
 * `npm test`), this points n8n at a temporary folder removed when the process exits.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

if (!process.env.N8N_USER_FOLDER) {
	const folder = mkdtempSync(join(tmpdir(), 'o365-n8n-user-'));
	process.env.N8N_USER_FOLDER = folder;
	process.on('exit', () => rmSync(folder, { recursive: true, force: true }));
}
