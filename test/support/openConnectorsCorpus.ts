/**
 * Reads the Open Connectors reference configurations in test/fixtures/open-connectors-configs into
 * resources, whatever form the docs gave them in (JSON, a JSON string, legacy `event.poller.urls`
 * pipe lines) and repairing the docs' broken JSON, so the tests see every resource's settings.
 * Fails when the fixtures are missing.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export const CONFIG_DIR = path.resolve(__dirname, '../fixtures/open-connectors-configs');

export type ReadStatus =
	/** The configuration as published is valid JSON (or legacy pipe lines). */
	| 'valid'
	/** Not valid JSON as published (typographic quotes, a trailing comma, no outer braces); read after repair. */
	| 'repaired'
	/** No poller settings: a placeholder (`<SEE_BELOW>`, `{}`, `""`), or a truncated illustration (`{"reports"...}`). */
	| 'placeholder'
	/** Legacy `event.poller.urls` text naming resources without URLs (`contacts|leads`). */
	| 'resource list';

export interface ReferenceResource {
	name: string;
	configuration: unknown;
}

export interface ReferenceFile {
	file: string;
	form: string;
	status: ReadStatus;
	resources: ReferenceResource[];
}

export function readCorpus(): ReferenceFile[] {
	assert.ok(existsSync(CONFIG_DIR), `The Open Connectors reference configurations are missing: expected them in ${CONFIG_DIR}`);
	return readdirSync(CONFIG_DIR)
		.filter((file) => file.endsWith('.json'))
		.sort()
		.map((file) => {
			const document = JSON.parse(readFileSync(path.join(CONFIG_DIR, file), 'utf8')) as { form: string; configuration: unknown };
			const read = readConfiguration(document.form, document.configuration);
			if (read.resources.length > 0) return { file, form: document.form, ...read };
			const status = document.form === 'legacy-urls' && typeof document.configuration === 'string' && /^[\w|-]+$/.test(document.configuration) ? 'resource list' : 'placeholder';
			return { file, form: document.form, status, resources: [] };
		});
}

function readConfiguration(form: string, configuration: unknown): { status: ReadStatus; resources: ReferenceResource[] } {
	if (form === 'legacy-urls') return { status: 'valid', resources: typeof configuration === 'string' ? readLegacyLines(configuration) : [] };
	if (isRecord(configuration)) return { status: 'valid', resources: resourcesOf(configuration) };
	if (typeof configuration !== 'string') return { status: 'placeholder', resources: [] };
	const strict = parseJson(configuration);
	if (isRecord(strict)) return { status: 'valid', resources: resourcesOf(strict) };
	const repaired = parseRepaired(configuration);
	if (isRecord(repaired)) return { status: 'repaired', resources: resourcesOf(repaired) };
	return { status: 'placeholder', resources: [] };
}

/** Resource objects are the object-valued entries; SAP C4C's unclosed first resource nests the others, so look inside too. */
function resourcesOf(configuration: Record<string, unknown>): ReferenceResource[] {
	const resources: ReferenceResource[] = [];
	for (const [name, value] of Object.entries(configuration)) {
		if (!isRecord(value)) continue;
		const { datesConfiguration, url, ...rest } = value;
		resources.push({ name, configuration: { ...pickDefined({ url, datesConfiguration }), ...withoutNestedResources(rest) } });
		resources.push(...resourcesOf(Object.fromEntries(Object.entries(rest).filter(([, nested]) => isRecord(nested) && 'url' in nested))));
	}
	return resources;
}

function withoutNestedResources(record: Record<string, unknown>): Record<string, unknown> {
	return Object.fromEntries(Object.entries(record).filter(([, nested]) => !(isRecord(nested) && 'url' in nested)));
}

function pickDefined(record: Record<string, unknown>): Record<string, unknown> {
	return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));
}

/** `<resource>|<url>|<xPath>|<updatedField>|<updatedFormat>|<updatedZone>|<createdField>|<createdFormat>|<createdZone>` */
function readLegacyLines(text: string): ReferenceResource[] {
	return text
		.split(/\r?\n/)
		.map((line) => line.split('|'))
		.filter((fields) => fields.length >= 2 && fields[1].startsWith('/')) // not bare resource lists such as "contacts|leads"
		.map((fields) => ({
			name: fields[0],
			configuration: {
				url: fields[1],
				datesConfiguration: pickDefined({
					updatedDateField: fields[3] || undefined,
					updatedDateFormat: fields[4] || undefined,
					updatedDateTimezone: fields[5] || undefined,
					createdDateField: fields[6] || undefined,
					createdDateFormat: fields[7] || undefined,
					createdDateTimezone: fields[8] || undefined,
				}),
			},
		}));
}

function parseJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

/** The docs' broken JSON: typographic quotes, trailing commas, no outer braces, SAP C4C's unclosed first resource. */
function parseRepaired(text: string): unknown {
	const repaired = text
		.replace(/[“”]/g, '"')
		.replace(/,(\s*[}\]])/g, '$1')
		.trim()
		.replace(/,$/, '');
	for (const candidate of [repaired, `{${repaired}}`, `{${repaired}}}`]) {
		const parsed = parseJson(candidate);
		if (parsed !== undefined) return parsed;
	}
	return undefined;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

