/**
 * Golden test over the real Open Connectors poller configurations in test/fixtures: every
 * resource of every configuration either translates (URL placeholders, date formats, timezones),
 * with values that round-trip, or is refused with an Office365ConfigError naming the resource, the
 * key and the offending value. The junk in the docs is listed explicitly, so neither "refuse
 * everything" nor "accept everything" can pass. Missing fixtures fail the test.
 *
 * Where the `json` configuration mode plugs in: `loadResource` is the one call that turns a
 * resource into trigger settings. Today it compiles the date parts; the json-mode loader replaces
 * it (and `readConfiguration`, for the files whose text is a placeholder or not valid JSON, which
 * it must refuse naming event.poller.configuration).
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

import { Office365ConfigError } from '../../nodes/Office365/trigger/errors';
import { compilePollerResourceDates, type PollerResourceDates } from '../../nodes/Office365/trigger/dates/pollerResourceDates';
import { findUrlPlaceholders } from '../../nodes/Office365/trigger/dates/urlPlaceholders';

const CONFIG_DIR = path.resolve(__dirname, '../fixtures/open-connectors-configs');
const SAMPLE = Date.UTC(2026, 10, 28, 10, 11, 12, 345);
const NOW = Date.UTC(2026, 5, 15);
const ONE_DAY = 86_400_000;

/** Formats in the docs that are prose, stray-quoted or Unix-time descriptions; every other format must compile. */
const JUNK_FORMATS = new Set([
	'10 digit integer Unix time',
	"10 digit integer Unix time'",
	'518862600',
	"518862600'",
	"milliseconds'",
	"yyyy-MM-dd'T'HH:mm:ss'",
	"yyyy-MM-dd'T'HH:mm:ss.SSSX'",
	"yyyy-MM-dd'T'HH:mm:ssXXX'",
]);
const JUNK_TIMEZONES = new Set(['{TimeZone}']);
/** Placeholder texts that must make a URL fail. */
const JUNK_PLACEHOLDER = /\$\{518862600\}|\$\{date:10 digit|\{\{page\.|\{TimeZone\}/;

type ReadStatus =
	/** The configuration as published is valid JSON (or legacy pipe lines). */
	| 'valid'
	/** Not valid JSON as published (typographic quotes, a trailing comma, no outer braces); read after repair. */
	| 'repaired'
	/** No poller settings: a placeholder (`<SEE_BELOW>`, `{}`, `""`), or a truncated illustration (`{"reports"...}`). */
	| 'placeholder'
	/** Legacy `event.poller.urls` text naming resources without URLs (`contacts|leads`). */
	| 'resource list';

interface ReferenceResource {
	name: string;
	configuration: unknown;
}

interface ReferenceFile {
	file: string;
	form: string;
	status: ReadStatus;
	resources: ReferenceResource[];
}

/** The one call the json mode will replace (see the header). */
function loadResource(resource: ReferenceResource): PollerResourceDates {
	return compilePollerResourceDates(resource.name, resource.configuration, { now: NOW });
}

function readCorpus(): ReferenceFile[] {
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

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The values in a resource that must make it fail, with the key each sits under. */
function junkIn(configuration: unknown): Array<{ key: string; value: string }> {
	if (!isRecord(configuration)) return [{ key: '', value: JSON.stringify(configuration) }];
	const junk: Array<{ key: string; value: string }> = [];
	const url = configuration.url;
	if (typeof url !== 'string' || url.trim() === '') junk.push({ key: 'url', value: '' });
	else for (const found of findUrlPlaceholders(url)) if (JUNK_PLACEHOLDER.test(found.text)) junk.push({ key: 'url', value: found.text });
	const dates = isRecord(configuration.datesConfiguration) ? configuration.datesConfiguration : {};
	for (const kind of ['updated', 'created']) {
		const format = dates[`${kind}DateFormat`];
		const timezone = dates[`${kind}DateTimezone`];
		if (typeof format === 'string' && JUNK_FORMATS.has(format)) junk.push({ key: `datesConfiguration.${kind}DateFormat`, value: format });
		const usesZone = typeof format !== 'string' || !/^\s*(milliseconds|seconds)\s*$/i.test(format);
		if (typeof timezone === 'string' && JUNK_TIMEZONES.has(timezone) && usesZone) {
			junk.push({ key: `datesConfiguration.${kind}DateTimezone`, value: timezone });
		}
	}
	return junk;
}

type Outcome = { ok: true; value: PollerResourceDates } | { ok: false; error: unknown };

function attempt(resource: ReferenceResource): Outcome {
	try {
		return { ok: true, value: loadResource(resource) };
	} catch (error) {
		return { ok: false, error };
	}
}

/** The `**N**` count after a label in INDEX.md. */
function indexCount(label: string): number {
	const index = readFileSync(path.join(CONFIG_DIR, 'INDEX.md'), 'utf8');
	const match = new RegExp(`${label}[^*]*\\*\\*(\\d+)\\*\\*`).exec(index);
	assert.ok(match, `INDEX.md states "${label}"`);
	return Number(match[1]);
}

const corpus = readCorpus();

describe('Open Connectors reference configurations', () => {
	it('are all present, as INDEX.md counts them', () => {
		const withStatus = (status: ReadStatus) => corpus.filter((entry) => entry.status === status).map((entry) => entry.file);
		assert.equal(corpus.length, indexCount('Examples \\(files\\):'));
		assert.equal(withStatus('placeholder').length, indexCount('placeholder/empty only:'));
		assert.deepEqual(withStatus('repaired'), ['clover.json', 'sapc4ccrm.json', 'sapc4chd.json', 'square-2.json', 'twilio.json']);
		assert.equal(withStatus('resource list').length, 8, withStatus('resource list').join());
	});

	const counts = { translated: 0, refused: 0 };
	for (const entry of corpus) {
		const label = `${entry.file} (${entry.form}, ${entry.status}): ${entry.resources.map((resource) => resource.name).join(', ') || 'no resources'}`;
		it(label, () => {
			if (entry.status === 'placeholder' || entry.status === 'resource list') return;
			for (const resource of entry.resources) {
				const junk = junkIn(resource.configuration);
				const outcome = attempt(resource);
				if (junk.length > 0) {
					counts.refused++;
					assertRefusal(resource, junk, outcome);
				} else {
					counts.translated++;
					assertTranslation(resource, outcome);
				}
			}
		});
	}

	it('translate most resources and refuse the junk', () => {
		assert.ok(counts.translated > 250 && counts.refused > 20, JSON.stringify(counts));
	});
});

function assertRefusal(resource: ReferenceResource, junk: Array<{ key: string; value: string }>, outcome: Outcome): void {
	const where = `${resource.name}: ${JSON.stringify(resource.configuration)}`;
	assert.ok(!outcome.ok, `${where} must be refused for ${JSON.stringify(junk)}`);
	const error = outcome.error;
	assert.ok(error instanceof Office365ConfigError, `${where}: ${String(error)}`);
	const named = junk.find((item) => error.parameter === `${resource.name}.${item.key}` && error.value === item.value);
	assert.ok(named, `${where}: the error names ${error.parameter} = ${JSON.stringify(error.value)}, expected one of ${JSON.stringify(junk)}`);
	assert.ok(error.message.includes(error.parameter) && error.message.includes(error.value), error.message);
}

function assertTranslation(resource: ReferenceResource, outcome: Outcome): void {
	const where = `${resource.name}: ${JSON.stringify(resource.configuration)}`;
	assert.ok(outcome.ok, `${where}: ${outcome.ok ? '' : String(outcome.error)}`);
	const { url, updated, created } = outcome.value;
	const configuredUrl = (resource.configuration as { url: string }).url;
	for (const value of insertedValues(configuredUrl, url(SAMPLE))) {
		assert.ok(value.length > 0 && !/[\s+&#{}]/.test(value), `${where}: inserted ${JSON.stringify(value)}`);
	}
	for (const codec of [updated, created]) {
		if (codec === undefined) continue;
		const text = codec.format(SAMPLE);
		const parsed = codec.parse(text);
		assert.ok(parsed !== undefined && parsed <= SAMPLE && SAMPLE - parsed < ONE_DAY, `${where}: ${codec.description}: ${text} → ${parsed}`);
		assert.equal(codec.format(parsed), text);
	}
}

/** The texts that replaced the placeholders, found by matching the literal parts of the URL around them. */
function insertedValues(url: string, expanded: string): string[] {
	const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
	let source = '^';
	let copied = 0;
	for (const found of findUrlPlaceholders(url)) {
		source += `${escape(url.slice(copied, found.index))}(.*?)`;
		copied = found.index + found.text.length;
	}
	const match = new RegExp(`${source}${escape(url.slice(copied))}$`).exec(expanded);
	assert.ok(match, `${expanded} keeps the literal parts of ${url}`);
	return match.slice(1);
}
