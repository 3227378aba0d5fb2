/**
 * n8n's binary data store, for real: the filesystem mode n8n uses by default, writing under the temporary n8n
 * folder the tests use (test/support/n8nUserFolder.ts), so `prepareBinaryData` in a node stores files and tests read
 * them back the way a later node of the workflow would.
 */
import './n8nUserFolder';
import { Container } from '@n8n/di';
import { BinaryDataService } from 'n8n-core';
import type { IBinaryData } from 'n8n-workflow';

let ready: Promise<BinaryDataService> | undefined;

export async function n8nBinaryData(): Promise<{ read(binary: IBinaryData): Promise<Buffer>; storagePath: string }> {
	ready ??= (async () => {
		const service = Container.get(BinaryDataService);
		await service.init();
		return service;
	})();
	const service = await ready;
	return {
		read: async (binary) => await service.getAsBuffer(binary),
		storagePath: (service as unknown as { config: { localStoragePath: string } }).config.localStoragePath,
	};
}
