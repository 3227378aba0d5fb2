import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { compilePollerResourceDates } from '../../nodes/Office365/trigger/dates/pollerResourceDates';
import { Office365ConfigError } from '../../nodes/Office365/trigger/errors';

const SINCE = Date.UTC(2026, 10, 28, 10, 11, 12, 345);

describe('compilePollerResourceDates', () => {
	it('compiles the URL placeholders and both dates of an Open Connectors resource', () => {
		const dates = compilePollerResourceDates('messages', {
			url: "/hubs/general/messages?where=LastModifiedDateTime>='${gmtDate:yyyy-MM-dd'T'HH:mm:ss'Z'}'",
			idField: 'Id',
			datesConfiguration: {
				updatedDateField: 'LastModifiedDateTime',
				updatedDateFormat: "yyyy-MM-dd'T'HH:mm:ss'Z'",
				updatedDateTimezone: 'GMT',
				createdDateField: 'ReceivedDateTime',
				createdDateFormat: 'EEE, dd MMM yyyy HH:mm:ss Z',
				createdDateTimezone: 'America/Denver',
			},
		});
		assert.equal(dates.url(SINCE), "/hubs/general/messages?where=LastModifiedDateTime>='2026-11-28T10:11:12Z'");
		assert.equal(dates.updated?.parse('2026-11-28T10:11:12Z'), Date.UTC(2026, 10, 28, 10, 11, 12));
		assert.equal(dates.created?.format(SINCE), 'Sat, 28 Nov 2026 03:11:12 -0700');
	});

	it('reads a missing format as ISO and skips a date the resource does not name', () => {
		const dates = compilePollerResourceDates('contacts', { url: '/hubs/crm/contacts', datesConfiguration: { updatedDateField: 'modified' } });
		assert.equal(dates.updated?.parse('2026-11-28T10:11:12.345+01:00'), SINCE - 3_600_000);
		assert.equal(dates.created, undefined);
		assert.equal(compilePollerResourceDates('contacts', { url: '/hubs/crm/contacts' }).updated, undefined);
	});

	it('uses the injected now for two-digit years', () => {
		const configuration = { url: '/x', datesConfiguration: { updatedDateField: 'd', updatedDateFormat: 'yy-MM-dd' } };
		assert.equal(compilePollerResourceDates('r', configuration, { now: Date.UTC(2026, 5, 15) }).updated?.parse('46-06-14'), Date.UTC(2046, 5, 14));
		assert.equal(compilePollerResourceDates('r', configuration, { now: Date.UTC(2026, 5, 13) }).updated?.parse('46-06-14'), Date.UTC(1946, 5, 14));
	});

	const refusals: Array<[configuration: unknown, parameter: string, value: string, hint: RegExp]> = [
		['<SEE_BELOW>', 'contacts', '"<SEE_BELOW>"', /expected an object/],
		[{}, 'contacts.url', '', /enter the URL/],
		[{ url: 42 }, 'contacts.url', '42', /expected text/],
		[{ url: '/x?a=${foo}' }, 'contacts.url', '${foo}', /unknown placeholder/],
		[{ url: '/x', datesConfiguration: 'GMT' }, 'contacts.datesConfiguration', '"GMT"', /expected an object/],
		[{ url: '/x', datesConfiguration: { updatedDateFormat: "milliseconds'" } }, 'contacts.datesConfiguration.updatedDateFormat', "milliseconds'", /did you mean/],
		[{ url: '/x', datesConfiguration: { createdDateFormat: 7 } }, 'contacts.datesConfiguration.createdDateFormat', '7', /expected text/],
		[
			{ url: '/x', datesConfiguration: { createdDateField: 'c', createdDateTimezone: '{TimeZone}' } },
			'contacts.datesConfiguration.createdDateTimezone',
			'{TimeZone}',
			/unfilled template placeholder/,
		],
	];
	for (const [configuration, parameter, value, hint] of refusals) {
		it(`refuses ${JSON.stringify(configuration)}, naming ${parameter}`, () => {
			assert.throws(
				() => compilePollerResourceDates('contacts', configuration),
				(error: unknown) =>
					error instanceof Office365ConfigError &&
					error.parameter === parameter &&
					error.value === value &&
					error.message.includes(parameter) &&
					hint.test(error.hint),
			);
		});
	}
});
