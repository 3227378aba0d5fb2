/**
 * What nodes write to n8n's log (`this.logger`), captured. n8n-core hands nodes the Logger from its DI
 * container; this puts a recording one there until `restore()`.
 */
import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';

export interface CapturedLog {
	warnings: string[];
	errors: string[];
	restore(): void;
}

export function captureN8nLog(): CapturedLog {
	const previous = Container.has(Logger) ? Container.get(Logger) : undefined;
	const captured: CapturedLog = {
		warnings: [],
		errors: [],
		restore: () => {
			if (previous) Container.set(Logger, previous);
		},
	};
	const logger = {
		error: (message: string) => captured.errors.push(message),
		warn: (message: string) => captured.warnings.push(message),
		info: () => undefined,
		debug: () => undefined,
		scoped: () => logger,
	};
	Container.set(Logger, logger as unknown as Logger);
	return captured;
}
