// The instant trigger's end-to-end suite (test/support/instantEndToEndSuite.ts) against the pinned n8n 2.x.
//   node --import tsx --test test/e2e/instant.e2e.test.ts
import { N8N_VERSIONS } from '../../scripts/n8n/install';
import { instantEndToEndSuite } from '../support/instantEndToEndSuite';

instantEndToEndSuite(N8N_VERSIONS.pinned);
