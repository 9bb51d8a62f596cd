/** Response schemas shared by the routes (for serialization and the OpenAPI document). */
import { Type, type TSchema } from 'typebox';
import { Problem } from '@pneumatic/protocol';

export const NoContent = Type.Null({ description: 'No content' });

/** Success schemas plus the problem+json body every error shares. */
export function responses(success: Record<number, TSchema>): Record<string, TSchema> {
  return { ...success, '4xx': Problem, '5xx': Problem };
}

export const bearer = [{ bearerAuth: [] }];
