/**
 * The Office 365 Trigger's parameters, with names and shapes exactly as the node declares them, and what the
 * credential allows; buildPollConfig (triggerConfig.ts) checks them.
 */
import type { LocatorParameter } from './mailbox';
import type { MailFilterParameters } from './mailFilters';
import type { FolderMode } from './mailFolders';
import type { PresetResource } from './resourcePresets';

/** A folder list of version 2 (n8n fixedCollection of resource locators). */
export interface FolderListParameter {
	folders?: Array<{ folder?: LocatorParameter }>;
}

/** Parameter names and shapes exactly as the node declares them. */
export interface TriggerParameters {
	/** The node's typeVersion (1 when absent): version 1 keeps the first release's behaviour. */
	version?: number;
	configurationMode?: 'fields' | 'json';
	/** Json mode: an Open Connectors `event.poller.configuration` (object or JSON text) or `event.poller.urls` lines. */
	pollerConfiguration?: unknown;
	trackingMode?: 'timestamp' | 'delta';
	/** Fields mode only. */
	resource?: PresetResource | 'custom' | 'driveItems';
	/** Json mode: the resource's name in the pasted configuration, emitted as objectType. */
	objectType?: string;
	/** Version 2, presets: whose mailbox. */
	mailbox?: LocatorParameter;
	/** Version 2, messages: which folders. */
	folderFilter?: FolderMode;
	foldersToInclude?: FolderListParameter;
	foldersToExclude?: FolderListParameter;
	/** Version 2, messages. */
	filters?: MailFilterParameters;
	/** Version 2, presets: compact records. */
	simplify?: boolean;
	url?: string;
	idField?: string;
	datesConfiguration?: {
		updatedAtField?: string;
		updatedAtFormat?: string;
		updatedAtTimezone?: string;
		createdAtField?: string;
		createdAtFormat?: string;
		createdAtTimezone?: string;
	};
	eventTypes?: string[];
	options?: {
		pollDelay?: number;
		pageSize?: number;
		maxEventsPerPoll?: number;
		emitExistingOnFirstPoll?: boolean;
		select?: string;
		filter?: string;
		folder?: string;
		output?: 'event' | 'raw';
		createdCheckTolerance?: number;
		dateFilter?: 'server' | 'client';
		calendarDaysBack?: number;
		calendarDaysAhead?: number;
		drive?: string;
		downloadAttachments?: boolean;
		attachmentsPrefix?: string;
		/** Megabytes of file attachments downloaded per message. */
		maxAttachmentSize?: number;
	};
}

/** What the credential allows, read before the configuration is built. */
export interface Access {
	/** App-only (client credentials): no signed-in user, so no `/me`. */
	appOnly: boolean;
}
