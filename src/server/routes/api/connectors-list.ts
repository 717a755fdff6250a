import { z } from 'zod';
import { defineRoute } from '../contract.js';
import { connectorSchemas } from './connectors-schemas.js';

const json = z.record(z.string(), z.unknown());

export const connectorSchemaBody = z.object({
  app: z.string().describe("the connection's app (POST /api/v1/connections `app`)"),
  connector: z.string().nullable().describe('the connector reading it (ghl for a GHL location)'),
  title: z.string(),
  description: z.string(),
  defaultId: z.string().describe('a suggested connection id'),
  authKinds: z.array(z.object({ kind: z.string(), title: z.string(), secrets: z.array(z.string()), oauth: z.boolean().optional() })),
  config: json.describe('JSON Schema of config (non-secret settings)'),
  secrets: json.describe('JSON Schema of secrets: each property writeOnly, format password'),
  secretFields: z.array(z.string()),
  required: z.array(z.string()).describe('required fields as body paths: config.locationId, secrets.signingSecret'),
});

export default defineRoute({
  method: 'GET',
  path: '/api/v1/connectors',
  summary: "Every app a connection can be made for, with its connection form: config and secrets as JSON Schemas from the connector's zod definition (secrets writeOnly), required fields, help text, auth kinds",
  tag: 'connections',
  auth: true,
  responses: { 200: { description: 'The connectors and their connection schemas', body: z.object({ items: z.array(connectorSchemaBody) }) } },
  handler({ c }) {
    return c.json({ items: connectorSchemas() });
  },
});
