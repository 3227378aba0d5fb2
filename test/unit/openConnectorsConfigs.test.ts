/**
 * Golden test over the real Open Connectors poller configurations collected in
 * shared/facts/open-connectors-configs: every date format/timezone pair and every URL with
 * placeholders either works (and round-trips a sample instant) or is refused at activation with
 * an Office365ConfigError naming the offending value. The junk in the docs is listed explicitly,
 * so "refuse everything" cannot pass.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

import { Office365ConfigError } from '../../nodes/Office365/trigger/errors';
import { compileDateFormat, type DateCodec } from '../../nodes/Office365/trigger/dates/javaDatePattern';
import { compileUrlTemplate, findUrlPlaceholders, type UrlTemplate } from '../../nodes/Office365/trigger/dates/urlPlaceholders';

const CONFIG_DIR = path.resolve(__dirname, '../../../shared/facts/open-connectors-configs');
const SAMPLE = Date.UTC(2026, 10, 28, 10, 11, 12, 345);
const ONE_DAY = 86_400_000;

/** Formats in the docs that are prose, stray-quoted or unsupported; everything else must compile. */
const JUNK_FORMATS = new Set([
	'10 digit integer Unix time',
	"10 digit integer Unix time'",
	'518862600',
	"518862600'",
	"milliseconds'",
	"yyyy-MM-dd'T'HH:mm:ss'",
	"yyyy-MM-dd'T'HH:mm:ss.SSSX'",
	"yyyy-MM-dd'T'HH:mm:ssXXX'",
	"yyyy-MM-dd'T'HH:mmz",
]);
const JUNK_TIMEZONES = new Set(['{TimeZone}']);
/** Placeholder texts that must make a URL fail. */
const JUNK_PLACEHOLDER = /\$\{518862600\}|\$\{date:10 digit|\{\{page\.|\{TimeZone\}|HH:mmz\}/;

interface DateSetting {
	format: string;
	timezone: string | undefined;
}

interface Corpus {
	fileCount: number;
	dateSettings: Map<string, DateSetting>;
	placeholderUrls: Set<string>;
}

type Zones = { updated?: string; created?: string };

function loadCorpus(): Corpus {
	const corpus: Corpus = { fileCount: 0, dateSettings: new Map(), placeholderUrls: new Set() };
	if (!existsSync(CONFIG_DIR)) return corpus;
	for (const name of readdirSync(CONFIG_DIR).filter((file) => file.endsWith('.json')).sort()) {
		const document = JSON.parse(readFileSync(path.join(CONFIG_DIR, name), 'utf8')) as { form: string; configuration: unknown };
		corpus.fileCount++;
		collect(document.form, document.configuration, corpus);
	}
	return corpus;
}

function collect(form: string, configuration: unknown, corpus: Corpus): void {
	if (typeof configuration === 'object' && configuration !== null) return walk(configuration, {}, corpus);
	if (typeof configuration !== 'string') return;
	if (form === 'legacy-urls') return collectLegacy(configuration, corpus);
	const parsed = parseLooseJson(configuration);
	if (parsed !== undefined) return walk(parsed, {}, corpus);
	scanKeyValues(configuration, corpus);
}

/** The docs' JSON strings: some have typographic quotes, trailing commas or no outer braces. */
function parseLooseJson(text: string): unknown {
	const repaired = text.replace(/[“”]/g, '"').replace(/,(\s*[}\]])/g, '$1');
	for (const candidate of [text, repaired, `{${repaired}}`]) {
		try {
			return JSON.parse(candidate);
		} catch {
			// try the next repair
		}
	}
	return undefined;
}

/** Last resort for truncated JSON (the SAP C4C examples): pick `"key": "value"` pairs; they carry no zones. */
function scanKeyValues(text: string, corpus: Corpus): void {
	for (const match of text.matchAll(/"(url|updatedDateFormat|createdDateFormat)"\s*:\s*"((?:[^"\\]|\\.)*)"/g)) {
		const value = JSON.parse(`"${match[2]}"`) as string;
		if (match[1] === 'url') addUrl(value, corpus);
		else addDateSetting(value, undefined, corpus);
	}
}

/** `<resource>|<url>|<xPath>|<updatedField>|<updatedFormat>|<updatedZone>|<createdField>|<createdFormat>|<createdZone>` */
function collectLegacy(text: string, corpus: Corpus): void {
	for (const line of text.split(/\r?\n/)) {
		const fields = line.split('|');
		if (fields.length < 3) continue; // a bare resource list such as "contacts|leads"
		addUrl(fields[1], corpus);
		if (fields[4]) addDateSetting(fields[4], fields[5] || undefined, corpus);
		if (fields[7]) addDateSetting(fields[7], fields[8] || undefined, corpus);
	}
}

/** Resource objects and their datesConfiguration; a resource-level timezone applies to its dates. */
function walk(node: unknown, inherited: Zones, corpus: Corpus): void {
	if (typeof node !== 'object' || node === null) return;
	const record = node as Record<string, unknown>;
	const zones: Zones = {
		updated: stringAt(record, 'updatedDateTimezone') ?? stringAt(record, 'updatedDateTimeZone') ?? inherited.updated,
		created: stringAt(record, 'createdDateTimezone') ?? stringAt(record, 'createdDateTimeZone') ?? inherited.created,
	};
	const url = stringAt(record, 'url');
	if (url !== undefined) addUrl(url, corpus);
	const updated = stringAt(record, 'updatedDateFormat');
	if (updated !== undefined) addDateSetting(updated, zones.updated, corpus);
	const created = stringAt(record, 'createdDateFormat');
	if (created !== undefined) addDateSetting(created, zones.created, corpus);
	for (const child of Object.values(record)) walk(child, zones, corpus);
}

function stringAt(record: Record<string, unknown>, key: string): string | undefined {
	return typeof record[key] === 'string' ? record[key] : undefined;
}

function addDateSetting(format: string, timezone: string | undefined, corpus: Corpus): void {
	corpus.dateSettings.set(JSON.stringify([format, timezone ?? null]), { format, timezone });
}

function addUrl(url: string, corpus: Corpus): void {
	if (url.includes('${') || url.includes('{{')) corpus.placeholderUrls.add(url);
}

type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

function attempt<T>(build: () => T): Outcome<T> {
	try {
		return { ok: true, value: build() };
	} catch (error) {
		return { ok: false, error };
	}
}

const corpus = loadCorpus();
const dateOutcomes = [...corpus.dateSettings.values()].map((setting) => ({
	setting,
	outcome: attempt<DateCodec>(() => compileDateFormat(setting.format, setting.timezone, 'updatedDateFormat')),
}));
const urlOutcomes = [...corpus.placeholderUrls].map((url) => ({
	url,
	outcome: attempt<UrlTemplate>(() => compileUrlTemplate(url, { parameter: 'url' })),
}));
const count = <T>(items: Array<{ outcome: Outcome<T> }>, ok: boolean) => items.filter((item) => item.outcome.ok === ok).length;
const placeholderKinds = new Set(
	[...corpus.placeholderUrls].flatMap((url) =>
		findUrlPlaceholders(url).map((found) => (found.style === 'template' ? '{{…}}' : found.body.split(':')[0])),
	),
);

describe('Open Connectors configurations', { skip: corpus.fileCount === 0 ? `no configurations at ${CONFIG_DIR}` : false }, () => {
	it(
		`corpus: ${corpus.fileCount} files, ${dateOutcomes.length} distinct date settings ` +
			`(${count(dateOutcomes, true)} compiled, ${count(dateOutcomes, false)} refused), ` +
			`${urlOutcomes.length} distinct placeholder URLs (${count(urlOutcomes, true)} expanded, ${count(urlOutcomes, false)} refused), ` +
			`placeholder kinds: ${[...placeholderKinds].sort().join(', ')}`,
		() => {
			assert.ok(dateOutcomes.length > 0 && urlOutcomes.length > 0, 'the corpus yields date settings and URLs');
		},
	);

	for (const { setting, outcome } of dateOutcomes) {
		const { format, timezone } = setting;
		const junk = JUNK_FORMATS.has(format) || (timezone !== undefined && JUNK_TIMEZONES.has(timezone));
		const label = `date format ${JSON.stringify(format)} with timezone ${JSON.stringify(timezone ?? '(none)')}`;
		if (junk) {
			it(`${label} is refused, naming the value`, () => {
				assert.ok(!outcome.ok, 'expected a configuration error');
				const error = outcome.error;
				assert.ok(error instanceof Office365ConfigError, String(error));
				assert.ok(error.value === format || error.value === timezone, `error names ${error.value}`);
				assert.ok(error.message.includes(`"${error.value}"`));
			});
		} else {
			it(`${label} compiles and round-trips`, () => {
				assert.ok(outcome.ok, outcome.ok ? '' : String(outcome.error));
				const codec = outcome.value;
				const text = codec.format(SAMPLE);
				const parsed = codec.parse(text);
				assert.ok(parsed !== undefined && parsed <= SAMPLE && SAMPLE - parsed < ONE_DAY, `${text} → ${parsed}`);
				assert.equal(codec.format(parsed), text);
			});
		}
	}

	for (const { url, outcome } of urlOutcomes) {
		if (JUNK_PLACEHOLDER.test(url)) {
			it(`URL ${url} is refused, naming the placeholder`, () => {
				assert.ok(!outcome.ok, 'expected a configuration error');
				const error = outcome.error;
				assert.ok(error instanceof Office365ConfigError, String(error));
				const texts = findUrlPlaceholders(url).map((found) => found.text);
				assert.ok(texts.includes(error.value), `error names ${error.value}`);
				assert.ok(error.message.includes(error.value));
			});
		} else {
			it(`URL ${url} expands with query-safe values`, () => {
				assert.ok(outcome.ok, outcome.ok ? '' : String(outcome.error));
				const expanded = outcome.value(SAMPLE);
				for (const value of insertedValues(url, expanded)) {
					assert.ok(value.length > 0 && !/[\s+&#{}]/.test(value), `inserted ${JSON.stringify(value)}`);
				}
			});
		}
	}
});

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
