/**
 * Golden test over the real Open Connectors poller configurations in test/fixtures: every
 * resource of every configuration either translates (URL placeholders, date formats, timezones),
 * with values that round-trip, or is refused with an Office365ConfigError naming the resource, the
 * key and the offending value. The junk in the docs is listed explicitly, so neither "refuse
 * everything" nor "accept everything" can pass. Missing fixtures fail the test.
 *
 * Where the `json` configuration mode plugs in: `loadResource` is the one call that turns a
 * resource into trigger settings. Today it compiles the date parts; the json-mode loader replaces
 * it (and test/support/openConnectorsCorpus.ts's reading, for the files whose text is a placeholder or not valid JSON, which
 * it must refuse naming event.poller.configuration).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

import { Office365ConfigError } from '../../nodes/Office365/trigger/errors';
import { compilePollerResourceDates, type PollerResourceDates } from '../../nodes/Office365/trigger/dates/pollerResourceDates';
import { findUrlPlaceholders } from '../../nodes/Office365/trigger/dates/urlPlaceholders';
import { CONFIG_DIR, isRecord, readCorpus, type ReadStatus, type ReferenceResource } from '../support/openConnectorsCorpus';
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

/** The one call the json mode will replace (see the header). */
function loadResource(resource: ReferenceResource): PollerResourceDates {
	return compilePollerResourceDates(resource.name, resource.configuration, { now: NOW });
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
