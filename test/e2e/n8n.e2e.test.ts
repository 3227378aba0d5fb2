// The end-to-end suite (test/support/endToEndSuite.ts) against the pinned n8n 2.x.
//   node --import tsx --test test/e2e/n8n.e2e.test.ts
import { N8N_VERSIONS } from '../../scripts/n8n/install';
import { endToEndSuite } from '../support/endToEndSuite';

endToEndSuite(N8N_VERSIONS.pinned);
