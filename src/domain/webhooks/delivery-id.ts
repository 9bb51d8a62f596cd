import { derivedUuid } from '../security/derived-uuid.js';

/**
 * The `webhook-id` of an event's delivery to a webhook: computed, not stored before the first
 * attempt, so every attempt and every process sends the same id for the same event and a
 * receiver that saw it once can drop a repeat (a crash between the answer and its record).
 */
export function webhookDeliveryId(webhookId: string, conversationId: string, eventSeq: number): string {
  return derivedUuid(`webhook-delivery\0${webhookId}\0${conversationId}\0${eventSeq}`);
}
