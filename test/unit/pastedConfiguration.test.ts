/**
 * Open Connectors configurations pasted into the trigger: every accepted form gives the plan the same resources
 * entered in fields would give; Microsoft hub paths, CEQL and Outlook REST field names become Graph's; mistakes
 * name the resource and key. Over the collected reference configurations: each one loads or is refused that way.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

import { expandUrlPlaceholders } from '../../nodes/Office365/trigger/dates/urlPlaceholders';
import { Office365ConfigError } from '../../nodes/Office365/trigger/errors';
import type { PollConfig } from '../../nodes/Office365/trigger/triggerConfig';
import type { TriggerParameters } from '../../nodes/Office365/trigger/triggerParameters';
import { buildResourcePlan, buildTriggerPlan, type ResourcePlan } from '../../nodes/Office365/trigger/triggerPlan';
import { CONFIG_DIR, readCorpus } from '../support/openConnectorsCorpus';

/** The outlookemail element's published configuration, as collected. */
const OUTLOOK_EMAIL = (JSON.parse(readFileSync(path.join(CONFIG_DIR, 'outlookemail.json'), 'utf8')) as { configuration: { messages: Record<string, unknown> & { datesConfiguration: Record<string, string> } } })
	.configuration;

/** What decides a plan's behaviour (the date codecs hold functions; their fields and the config key stand for them). */
function essence(plan: ResourcePlan): Record<string, unknown> {
	const { config } = plan;
	const { updated, created, ...rest } = config as typeof config & { tracked?: unknown };
	delete (rest as Record<string, unknown>).tracked;
	return { mode: plan.mode, ...rest, updated: updated?.field, created: created?.field };
}

const pasted = (pollerConfiguration: unknown, node: Partial<TriggerParameters> = {}) =>
	buildTriggerPlan({ configurationMode: 'json', pollerConfiguration, ...node }).map(essence);

/** The plan of a configuration of one resource polled by timestamp. */
function timestampConfig(pollerConfiguration: unknown): PollConfig {
	const [plan, ...others] = buildTriggerPlan({ configurationMode: 'json', pollerConfiguration });
	assert.equal(others.length, 0);
	assert.equal(plan.mode, 'timestamp');
	return plan.config as PollConfig;
}

function refusal(pollerConfiguration: unknown, node: Partial<TriggerParameters> = {}): Office365ConfigError {
	try {
		buildTriggerPlan({ configurationMode: 'json', pollerConfiguration, ...node });
	} catch (error) {
		if (error instanceof Office365ConfigError) return error;
		throw error;
	}
	throw new Error(`accepted: ${JSON.stringify(pollerConfiguration)}`);
}

describe('pasting an Open Connectors configuration', () => {
	it('the outlookemail configuration, unchanged, is the messages preset', () => {
		const preset = essence(buildResourcePlan({ resource: 'messages', objectType: 'messages' }));
		assert.deepEqual(pasted(OUTLOOK_EMAIL), [preset]);
		assert.deepEqual(pasted(OUTLOOK_EMAIL, { trackingMode: 'delta' }), [essence(buildResourcePlan({ resource: 'messages', trackingMode: 'delta', objectType: 'messages' }))]);
	});

	it('object, JSON text, JSON text of JSON text, the instance configuration and the whole instance body are one configuration', () => {
		const expected = pasted(OUTLOOK_EMAIL);
		const text = JSON.stringify(OUTLOOK_EMAIL);
		for (const form of [
			text,
			JSON.stringify(text),
			{ 'event.poller.configuration': OUTLOOK_EMAIL, 'event.notification.enabled': true },
			{ 'event.poller.configuration': text },
			{ element: { key: 'outlookemail' }, configuration: { 'event.poller.configuration': OUTLOOK_EMAIL, 'oauth.api.key': 'k' } },
		]) {
			assert.deepEqual(pasted(form), expected, JSON.stringify(form).slice(0, 80));
		}
	});

	it('the updatedAt… spelling, the updatedDate… spelling and a legacy line are the same resource as fields', () => {
		const url = "/me/contacts?$filter=lastModifiedDateTime ge ${gmtDate:yyyy-MM-dd'T'HH:mm:ss'Z'}";
		const fields = essence(buildResourcePlan({ ...fieldsParameters(url), options: { pollDelay: 30, pageSize: 50, createdCheckTolerance: 5 } }));
		const dateSpelling = {
			updatedDateField: 'LastModifiedDateTime',
			updatedDateFormat: "yyyy-MM-dd'T'HH:mm:ss'Z'",
			updatedDateTimezone: 'GMT',
			createdDateField: 'CreatedDateTime',
			createdDateFormat: "yyyy-MM-dd'T'HH:mm:ss'Z'",
			createdCheckTolerance: 5,
		};
		const atSpelling = {
			updatedAtField: 'lastModifiedDateTime',
			updatedAtFormat: "yyyy-MM-dd'T'HH:mm:ss'Z'",
			updatedAtTimeZone: 'GMT',
			createdAtField: 'createdDateTime',
			createdAtFormat: "yyyy-MM-dd'T'HH:mm:ss'Z'",
		};
		const options = { pollDelay: '30', pageSize: 50, filterByUpdatedDate: true, filterByCurrentDate: false };
		assert.deepEqual(pasted({ contacts: { url, idField: 'Id', datesConfiguration: dateSpelling, ...options } }), [fields]);
		assert.deepEqual(pasted({ contacts: { url, datesConfiguration: atSpelling, createdCheckTolerance: 5, ...options } }), [fields]);
		const line = `contacts|${url}||LastModifiedDateTime|yyyy-MM-dd'T'HH:mm:ss'Z'|GMT|CreatedDateTime|yyyy-MM-dd'T'HH:mm:ss'Z'|`;
		const [fromLine] = pasted({ 'event.poller.urls': line });
		assert.deepEqual(fromLine, essence(buildResourcePlan({ ...fieldsParameters(url), options: {} })));
	});

	it('several resources, each its own plan, named by their resource name', () => {
		const plans = pasted({
			'event.poller.configuration': { ...OUTLOOK_EMAIL, documents: { url: '/hubs/documents/changes', idField: 'id' } },
			'event.poller.urls': 'events\ncontacts',
		});
		assert.deepEqual(
			plans.map((plan) => [plan.mode, plan.objectType]),
			[
				['timestamp', 'messages'],
				['delta', 'documents'],
				['timestamp', 'events'],
				['timestamp', 'contacts'],
			],
		);
	});

	it('Microsoft configurations: office365 (normalized fields), OneDrive (epoch formats), SharePoint (legacy, bare name)', () => {
		const office365 = pasted({
			messages: {
				url: '/hubs/productivity/messages',
				idField: 'id',
				datesConfiguration: { updatedAtField: 'modification_date', updatedAtFormat: "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", createdAtField: 'creation_date' },
			},
		});
		assert.deepEqual([office365[0].url, office365[0].updated, office365[0].created], ['/me/messages', 'lastModifiedDateTime', 'createdDateTime']);
		const oneDrive = pasted({
			documents: { url: '/hubs/documents/changes', idField: 'id', filterByUpdatedDate: true, datesConfiguration: { updatedDateField: 'modifiedDate', updatedDateFormat: 'milliseconds', createdDateField: 'createdDate', createdDateFormat: 'milliseconds' } },
		});
		assert.deepEqual([oneDrive[0].mode, oneDrive[0].resource, oneDrive[0].drivePath, oneDrive[0].emitDeleted], ['delta', 'driveItems', '/me/drive', true]);
		assert.deepEqual(pasted({ 'event.poller.urls': 'documents' }).map((plan) => [plan.mode, plan.resource]), [['delta', 'driveItems']]);
		const sharePoint = pasted("documents|/hubs/documents/events/poll/documents?where=lastmodifieddate='${gmtDate:yyyy-MM-dd'T'HH:mm:ss'Z'}'");
		assert.deepEqual([sharePoint[0].mode, sharePoint[0].objectType], ['delta', 'documents']);
	});

	it('CEQL: other conditions become an OData $filter, a window on the created date lists new records only', () => {
		const [filtered] = pasted({
			messages: { ...OUTLOOK_EMAIL.messages, url: "/hubs/general/messages?where=LastModifiedDateTime>='${gmtDate:yyyy-MM-dd'T'HH:mm:ss'Z'}' and IsRead=false and Importance='high'" },
		});
		assert.equal(filtered.userFilter, "isRead eq false and importance eq 'high'");
		const [both] = pasted({ messages: { ...OUTLOOK_EMAIL.messages, url: "/hubs/general/messages?where=From.EmailAddress.Address='boss@contoso.com'" } }, { options: { filter: 'hasAttachments eq true' } });
		assert.equal(both.userFilter, "(from/emailAddress/address eq 'boss@contoso.com') and (hasAttachments eq true)");
		const [createdOnly] = pasted({ messages: { ...OUTLOOK_EMAIL.messages, url: "/hubs/general/messages?where=ReceivedDateTime>'${gmtDate:yyyy-MM-dd'T'HH:mm:ss'Z'}'" } });
		assert.deepEqual([createdOnly.emitCreated, createdOnly.emitUpdated, createdOnly.trackingCreated], [true, false, true]);
	});

	it("a Graph path's dates: the pasted formats and timezones read and write the values, the URL placeholders expand", () => {
		const since = Date.UTC(2026, 10, 28, 10, 11, 12, 345);
		const config = timestampConfig({
			messages: {
				url: "/me/messages?$filter=lastModifiedDateTime ge ${gmtDate:yyyy-MM-dd'T'HH:mm:ss'Z'}",
				idField: 'Id',
				datesConfiguration: {
					updatedDateField: 'LastModifiedDateTime',
					updatedDateFormat: "yyyy-MM-dd'T'HH:mm:ss'Z'",
					updatedDateTimezone: 'GMT',
					createdDateField: 'ReceivedDateTime',
					createdDateFormat: 'EEE, dd MMM yyyy HH:mm:ss Z',
					createdDateTimezone: 'America/Denver',
				},
			},
		});
		assert.equal(expandUrlPlaceholders(config.url, since), '/me/messages?$filter=lastModifiedDateTime ge 2026-11-28T10:11:12Z');
		assert.equal(config.updated?.codec.parse('2026-11-28T10:11:12Z'), Date.UTC(2026, 10, 28, 10, 11, 12));
		assert.equal(config.created?.codec.format(since), 'Sat, 28 Nov 2026 03:11:12 -0700');
		// No format is ISO 8601; a date the resource does not name has no codec.
		const isoOnly = timestampConfig({ contacts: { url: '/me/contacts', datesConfiguration: { updatedDateField: 'modified' } } });
		assert.equal(isoOnly.updated?.codec.parse('2026-11-28T10:11:12.345+01:00'), since - 3_600_000);
		assert.equal(isoOnly.created, undefined);
	});

	it('what cannot be mapped is refused, naming the resource, the key and the value', () => {
		const cases: Array<[unknown, RegExp]> = [
			[{ contacts: { url: "/hubs/crm/contacts?where=LastModifiedDate>='${date}'", idField: 'id' } }, /Poller Configuration → contacts\.url "\/hubs\/crm\/contacts.*": this hub path has no Office 365 counterpart; use one of \/hubs\/general\/messages/],
			[{ messages: { ...OUTLOOK_EMAIL.messages, url: "/hubs/general/messages?where=IsRead=false or Importance='high'" } }, /messages\.url "IsRead=false or Importance='high'": only conditions joined by 'and'/],
			[{ messages: { ...OUTLOOK_EMAIL.messages, url: "/hubs/general/messages?where=Mood='happy'" } }, /messages\.url "Mood": messages in Microsoft Graph have no such field/],
			[{ messages: { ...OUTLOOK_EMAIL.messages, url: '/hubs/general/messages?pageSize=5' } }, /messages\.url "pageSize=5": a hub path takes only a where query/],
			[{ messages: { ...OUTLOOK_EMAIL.messages, idField: 'MessageKey' } }, /messages\.idField "MessageKey": messages in Microsoft Graph have no such field/],
			[{ messages: { ...OUTLOOK_EMAIL.messages, datesConfiguration: { ...OUTLOOK_EMAIL.messages.datesConfiguration, updatedDateFormat: 'yyyy-MM-dd kk:mm' } } }, /messages\.datesConfiguration\.updatedDateFormat "yyyy-MM-dd kk:mm"/],
			[{ messages: { ...OUTLOOK_EMAIL.messages, pollInterval: 5 } }, /messages\.pollInterval "5": unknown key; a resource has url, idField, datesConfiguration/],
			[{ deals: { url: '/me/contacts', datesConfiguration: { updatedDateField: 'lastModifiedDateTime', updatedAtField: 'createdDateTime' } } }, /deals\.datesConfiguration\.updatedAtField "createdDateTime": deals\.datesConfiguration\.updatedDateField says "lastModifiedDateTime"; give the date setting once/],
			[{ deals: { url: '/me/contacts', pageSize: 10000, datesConfiguration: { updatedDateField: 'lastModifiedDateTime' } } }, /Poller Configuration → deals\.pageSize "10000": use a whole number from 1 to 1000/],
			[{ deals: { url: '/me/contacts', datesConfiguration: { updatedDateField: 'lastModifiedDateTime', updatedDateFormat: 'ISO', updatedDateTimezone: 'Mars/Olympus' } } }, /deals\.datesConfiguration\.updatedDateTimezone "Mars\/Olympus"/],
			[{ deals: { url: '/me/contacts?where=a=1', datesConfiguration: { updatedDateField: 'lastModifiedDateTime' } } }, /deals\.url .* on a Microsoft Graph path use \$filter/],
			[{ plaid: { url: '/me/contacts', xPath: '/x' } }, /plaid\.xPath "\/x": unknown key/],
			[{ contacts: '<SEE_BELOW>' }, /Poller Configuration → contacts "<SEE_BELOW>": expected an object with url, idField and datesConfiguration/],
			[{ contacts: {} }, /^Invalid Poller Configuration → contacts\.url: enter the URL to poll/],
			[{ contacts: { url: 42 } }, /contacts\.url "42": expected text/],
			[{ contacts: { url: '/me/contacts?a=${foo}', datesConfiguration: { updatedDateField: 'lastModifiedDateTime' } } }, /contacts\.url "\$\{foo\}": unknown placeholder "foo"/],
			[{ contacts: { url: '/me/contacts', datesConfiguration: 'GMT' } }, /contacts\.datesConfiguration "GMT": expected an object/],
			[{ contacts: { url: '/me/contacts', datesConfiguration: { updatedDateField: 'lastModifiedDateTime', updatedDateFormat: "milliseconds'" } } }, /contacts\.datesConfiguration\.updatedDateFormat "milliseconds'": did you mean "milliseconds"\?/],
			[{ contacts: { url: '/me/contacts', datesConfiguration: { updatedDateField: 'lastModifiedDateTime', createdDateFormat: 7 } } }, /contacts\.datesConfiguration\.createdDateFormat "7": expected text/],
			[{ contacts: { url: '/me/contacts', datesConfiguration: { createdDateField: 'createdDateTime', createdDateTimezone: '{TimeZone}' } } }, /contacts\.datesConfiguration\.createdDateTimezone "\{TimeZone\}": .*unfilled template placeholder/],
			["accounts|/hubs/crm/accounts|/x/y|LastModifiedDate|yyyy-MM-dd'T'HH:mm:ssZ", /accounts\.xPathFilter "\/x\/y": XPath filters are not supported/],
			['leads', /Poller Configuration → leads "leads": a resource named alone must be messages, events, contacts or documents/],
			['messages\nmessages', /Poller Configuration → messages "messages": each resource name once/],
			['{ "messages": ', /Poller Configuration "\{ "messages":": not valid JSON \(/],
			['', /Invalid Poller Configuration: paste an Open Connectors event\.poller\.configuration/],
			[{ '{{page.pollObject}}': { url: '/me/contacts' } }, /Poller Configuration → \{\{page\.pollObject\}\} ".*": resource names are letters/],
			[{ files: { url: "/hubs/documents/files?where=lastmodifieddate='${gmtDate:yyyy-MM-dd}' and name='x'" } }, /files\.url .*: files are tracked with the drive's delta query, which takes no conditions/],
		];
		for (const [configuration, message] of cases) {
			assert.match(refusal(configuration).message, message, JSON.stringify(configuration));
		}
	});

	it('the reference configurations: each resource loads, or is refused naming that resource and a key', () => {
		let loaded = 0;
		let resources = 0;
		for (const file of readCorpus()) {
			for (const resource of file.resources) {
				resources++;
				try {
					buildTriggerPlan({ configurationMode: 'json', pollerConfiguration: { [resource.name]: resource.configuration } });
					loaded++;
				} catch (error) {
					assert.ok(error instanceof Office365ConfigError, `${file.file} ${resource.name}: ${(error as Error).message}`);
					const named = `Poller Configuration → ${resource.name}`;
					assert.ok(
						error.parameter === named || error.parameter.startsWith(`${named}.`) || error.parameter.endsWith(`(resource ${resource.name})`),
						`${file.file} ${resource.name}: ${error.message}`,
					);
				}
			}
		}
		assert.ok(resources > 250, `${resources} resources read`);
		assert.ok(loaded >= 4, `the Microsoft ones load (${loaded})`);
	});

	it('the reference configurations as published (JSON, JSON text, legacy lines) load or are refused naming the configuration', () => {
		for (const file of readCorpus()) {
			const document = JSON.parse(readFileSync(path.join(CONFIG_DIR, file.file), 'utf8')) as { configuration: unknown };
			const value = file.form === 'legacy-urls' ? { 'event.poller.urls': document.configuration } : document.configuration;
			try {
				buildTriggerPlan({ configurationMode: 'json', pollerConfiguration: value });
			} catch (error) {
				assert.ok(error instanceof Office365ConfigError, `${file.file}: ${(error as Error).message}`);
				assert.match(error.parameter, /^Poller Configuration( → .+)?$|\(resource .+\)$/, `${file.file}: ${error.message}`);
			}
		}
	});
});

function fieldsParameters(url: string): TriggerParameters {
	return {
		resource: 'custom',
		objectType: 'contacts',
		url,
		idField: 'id',
		datesConfiguration: {
			updatedAtField: 'lastModifiedDateTime',
			updatedAtFormat: "yyyy-MM-dd'T'HH:mm:ss'Z'",
			updatedAtTimezone: 'GMT',
			createdAtField: 'createdDateTime',
			createdAtFormat: "yyyy-MM-dd'T'HH:mm:ss'Z'",
		},
	};
}
