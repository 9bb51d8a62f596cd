import type { FastifyInstance } from 'fastify';
import type { TSchema } from 'typebox';
import { compileValidator, convertTextFields } from '../../validation/schema-validator.js';

/**
 * Validates with TypeBox through the validator the WebSocket shares. Bodies are checked as
 * sent (no coercion: "1" is not 1); query and path params are text, so only exact integer and
 * boolean literals are converted. Handlers get the checked value, ids in lower case.
 */
export function registerValidation(app: FastifyInstance): void {
  app.setValidatorCompiler(({ schema, httpPart }) => {
    const validate = compileValidator(schema as TSchema, httpPart ?? 'request');
    const convert = httpPart === 'body' ? (v: unknown) => v : (v: unknown) => convertTextFields(schema as TSchema, v);
    return (input: unknown) => {
      const result = validate(convert(input));
      return result.ok ? { value: result.value } : { error: result.failure };
    };
  });
}
