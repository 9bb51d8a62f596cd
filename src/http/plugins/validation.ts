import type { FastifyInstance } from 'fastify';
import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { convertTextFields } from '../../validation/schema-validator.js';

/**
 * Validates with TypeBox. Bodies are checked as sent (no coercion: "1" is not 1); query and
 * path params are text, so only exact integer and boolean literals are converted.
 */
export function registerValidation(app: FastifyInstance): void {
  app.setValidatorCompiler(({ schema, httpPart }) => {
    const check = Compile(schema as TSchema);
    const convert = httpPart === 'body' ? (v: unknown) => v : (v: unknown) => convertTextFields(schema as TSchema, v);
    return (input: unknown) => {
      const value = convert(input);
      if (check.Check(value)) return { value };
      return { error: check.Errors(value) as never };
    };
  });
}
