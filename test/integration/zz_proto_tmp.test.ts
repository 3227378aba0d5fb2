import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { ExecuteContext } from 'n8n-core';
import { Workflow, createRunExecutionData, type INode, type INodeTypes, type IWorkflowExecuteAdditionalData } from 'n8n-workflow';
import { Office365EventForward } from '../../nodes/Office365/Office365EventForward.node.js';
import { Office365EventSigningApi } from '../../credentials/Office365EventSigningApi.credentials';

test('proto', async () => {
  const bodies: Buffer[] = []; const hdrs: http.IncomingHttpHeaders[] = [];
  const server = http.createServer((req, res) => { const chunks: Buffer[] = []; req.on('data', c => chunks.push(c)); req.on('end', () => { bodies.push(Buffer.concat(chunks)); hdrs.push(req.headers); res.writeHead(200, {'retry-after': '3'}); res.end('ok'); }); });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as any).port;
  const nodeType = new Office365EventForward();
  const node: INode = { id: 'n1', name: 'Forward', type: 'n8n-nodes-office365-events.office365EventForward', typeVersion: 1, position: [0,0], parameters: { url: `http://127.0.0.1:${port}/hook?token=x`, signNotifications: true }, credentials: { office365EventSigningApi: { id: 'c1', name: 'sig' } } };
  const nodeTypes: INodeTypes = { getByName: () => nodeType, getByNameAndVersion: () => nodeType, getKnownTypes: () => ({}) };
  const workflow = new Workflow({ id: 'wf-1', name: 'My flow', nodes: [node], connections: {}, active: false, nodeTypes });
  console.log(node.parameters);
  const cred = new Office365EventSigningApi();
  const additionalData = { credentialsHelper: { getParentTypes: () => [], getDecrypted: async () => ({ signingKey: 's3cret' }), preAuthentication: async () => undefined, authenticate: async (c: any, _t: string, o: any) => await cred.authenticate(c, o) }, variables: {}, restApiUrl: 'http://127.0.0.1/rest', instanceBaseUrl: 'http://127.0.0.1/', webhookBaseUrl: 'http://127.0.0.1/webhook', webhookTestBaseUrl: 'http://127.0.0.1/webhook-test', webhookWaitingBaseUrl: 'http://127.0.0.1/webhook-waiting', formWaitingBaseUrl: 'http://127.0.0.1/form-waiting', executionId: 'ex1', userId: 'u1' } as unknown as IWorkflowExecuteAdditionalData;
  const items = [{ json: { eventType: 'CREATED', objectType: 'messages', objectId: 'A1', elementKey: 'office365', date: '2024-05-01T10:00:00Z', raw: { id: 'A1', subject: 'héllo' } } }];
  const runExecutionData = createRunExecutionData();
  const ctx = new ExecuteContext(workflow, node, additionalData, 'manual', runExecutionData, 0, items, { main: [items] }, { node, data: { main: [items] }, source: null }, []);
  const out = await nodeType.execute!.call(ctx);
  console.log(JSON.stringify(out, null, 1));
  console.log(hdrs[0], bodies[0].toString());
  server.close();
});
