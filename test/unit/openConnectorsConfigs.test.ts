/**
 * Golden test over the real Open Connectors poller configurations in test/fixtures: every
 * resource of every configuration, pasted into the json configuration mode, either becomes a plan
 * whose URL placeholders expand and whose date codecs round-trip values, or is refused with an
 * Office365ConfigError naming the resource, the key and the offending value. The junk in the docs
 * is listed explicitly, so neither "refuse everything" nor "accept everything" can pass. Missing
 * fixtures fail the test.
 *
 * The resources poll other vendors' hubs, which an Office 365 trigger refuses (pastedConfiguration.test.ts
 * checks that); their date settings and URL placeholders are what this corpus is rich in. So `loadResource`
 * pastes each one as a user would against Microsoft Graph: the hub path under /me, its where condition as
 * $filter, the name as n8n accepts it, Created only as Event Types when there is no updated date; its date
 * keys and placeholders as published.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

import { expandUrlPlaceholders, findUrlPlaceholders } from '../../nodes/Office365/trigger/dates/urlPlaceholders';
import { Office365ConfigError } from '../../nodes/Office365/trigger/errors';
import { DATE_KEY, label } from '../../nodes/Office365/trigger/pastedValues';
import type { PollConfig } from '../../nodes/Office365/trigger/triggerConfig';
import { buildTriggerPlan } from '../../nodes/Office365/trigger/triggerPlan';
import { splitUrl } from '../../nodes/Office365/trigger/urlParts';
import { CONFIG_DIR, isRecord, readCorpus, type ReadStatus, type ReferenceResource } from '../support/openConnectorsCorpus';

const SAMPLE = Date.UTC(2026, 10, 28, 10, 11, 12, 345);
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

/** What a resource is pasted as (see the header). */
interface Pasted {
	name: string;
	configuration: unknown;
	/** Event Types of the node. */
	eventTypes?: string[];
}

function pastedOnGraph(resource: ReferenceResource): Pasted {
	const name = resource.name.replace(/[^\w.-]+/g, '-').replace(/^-|-$/g, '');
	const configuration = resource.configuration;
	if (!isRecord(configuration)) return { name, configuration };
	// Only the keys that shape the URL and the dates: the others (pageSize, xPath, …) have their own tests.
	const { url, idField, datesConfiguration } = configuration;
	const resourceDates = Object.fromEntries(Object.entries(configuration).filter(([key]) => DATE_KEY.test(key)));
	const onGraph = typeof url === 'string' ? url.replace(/^\/hubs\//, '/me/hubs/').replace(/([?&])where=/i, '$1$filter=') : url;
	const dates = isRecord(datesConfiguration) ? datesConfiguration : {};
	const createdOnly = !dates.updatedDateField && !!dates.createdDateField;
	return { name, configuration: { url: onGraph, idField, datesConfiguration, ...resourceDates }, eventTypes: createdOnly ? ['created'] : undefined };
}

/** The one call the json mode makes for a pasted resource; its plan polls by timestamp. */
function loadResource(pasted: Pasted): PollConfig {
	const plans = buildTriggerPlan({ configurationMode: 'json', pollerConfiguration: { [pasted.name]: pasted.configuration }, eventTypes: pasted.eventTypes });
	assert.equal(plans.length, 1);
	const [plan] = plans;
	assert.equal(plan.mode, 'timestamp');
	return plan.config as PollConfig;
}

/** The values in a pasted resource that must make it fail, with the key each sits under. */
function junkIn(configuration: unknown): Array<{ key: string; value: string }> {
	if (!isRecord(configuration)) return [{ key: '', value: typeof configuration === 'string' ? configuration : JSON.stringify(configuration) }];
	const junk: Array<{ key: string; value: string }> = [];
	const url = configuration.url;
	if (typeof url !== 'string' || url.trim() === '') junk.push({ key: 'url', value: '' });
	else {
		for (const found of findUrlPlaceholders(url)) if (JUNK_PLACEHOLDER.test(found.text)) junk.push({ key: 'url', value: found.text });
		const condition = splitUrl(url).query.find(([option]) => option === '$filter')?.[1];
		// Conditions the docs left with an open quote (quotes inside placeholders pair up on their own).
		const outside = condition && findUrlPlaceholders(condition).reduce((text, found) => text.replace(found.text, ''), condition);
		if (condition && outside && (outside.split("'").length - 1) % 2 === 1) junk.push({ key: 'url', value: condition });
	}
	const dates = isRecord(configuration.datesConfiguration) ? configuration.datesConfiguration : {};
	// Polling by timestamp needs a date to tell a change by.
	if (!dates.updatedDateField && !dates.createdDateField) junk.push({ key: 'datesConfiguration', value: '' });
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

type Outcome = { ok: true; value: PollConfig } | { ok: false; error: unknown };

function attempt(pasted: Pasted): Outcome {
	try {
		return { ok: true, value: loadResource(pasted) };
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
				const pasted = pastedOnGraph(resource);
				const junk = junkIn(pasted.configuration);
				const outcome = attempt(pasted);
				if (junk.length > 0) {
					counts.refused++;
					assertRefusal(pasted, junk, outcome);
				} else {
					counts.translated++;
					assertTranslation(pasted, outcome);
				}
			}
		});
	}

	it('translate most resources and refuse the junk', () => {
		assert.ok(counts.translated > 200 && counts.refused > 50, JSON.stringify(counts));
	});
});

function assertRefusal(pasted: Pasted, junk: Array<{ key: string; value: string }>, outcome: Outcome): void {
	const where = `${pasted.name}: ${JSON.stringify(pasted.configuration)}`;
	assert.ok(!outcome.ok, `${where} must be refused for ${JSON.stringify(junk)}`);
	const error = outcome.error;
	assert.ok(error instanceof Office365ConfigError, `${where}: ${String(error)}`);
	const named = junk.find((item) => error.parameter === label(item.key ? `${pasted.name}.${item.key}` : pasted.name) && error.value === item.value);
	assert.ok(named, `${where}: the error names ${error.parameter} = ${JSON.stringify(error.value)}, expected one of ${JSON.stringify(junk)}`);
	assert.ok(error.message.includes(error.parameter) && error.message.includes(error.value), error.message);
}

function assertTranslation(pasted: Pasted, outcome: Outcome): void {
	const where = `${pasted.name}: ${JSON.stringify(pasted.configuration)}`;
	assert.ok(outcome.ok, `${where}: ${outcome.ok ? '' : String(outcome.error)}`);
	const { url, updated, created } = outcome.value;
	const configuration = pasted.configuration as { url: string; datesConfiguration?: Record<string, unknown> };
	assert.equal(url, configuration.url.trim(), where);
	for (const value of insertedValues(url, expandUrlPlaceholders(url, SAMPLE))) {
		assert.ok(value.length > 0 && !/[\s+&#{}]/.test(value), `${where}: inserted ${JSON.stringify(value)}`);
	}
	assert.equal(updated !== undefined, !!configuration.datesConfiguration?.updatedDateField, `${where}: the updated date`);
	assert.equal(created !== undefined, !!configuration.datesConfiguration?.createdDateField, `${where}: the created date`);
	for (const { codec } of [updated, created].filter((field) => field !== undefined)) {
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
