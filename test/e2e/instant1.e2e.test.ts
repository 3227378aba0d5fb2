// The instant trigger's end-to-end suite (test/support/instantEndToEndSuite.ts) against the newest n8n 1.x.
//   node --import tsx --test test/e2e/instant1.e2e.test.ts
import { N8N_VERSIONS } from '../../scripts/n8n/install';
import { instantEndToEndSuite } from '../support/instantEndToEndSuite';

instantEndToEndSuite(N8N_VERSIONS.legacy);
