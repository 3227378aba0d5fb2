// The end-to-end suite (test/support/endToEndSuite.ts) against the newest n8n 1.x, so that the
// README's "works with n8n 1.x" keeps holding.
//   node --import tsx --test test/e2e/n8n1.e2e.test.ts
import { N8N_VERSIONS } from '../../scripts/n8n/install';
import { endToEndSuite } from '../support/endToEndSuite';

endToEndSuite(N8N_VERSIONS.legacy);
