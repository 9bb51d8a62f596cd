/**
 * The page a browser sees when a single sign-on's callback is refused: the same status and `code`
 * as the problem+json answer, a sentence saying what to do, and a way back to the app. No script
 * and no inline style (the Content-Security-Policy forbids both).
 */
import type { AppError } from '../../domain/errors.js';

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function ssoErrorPage(error: AppError): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Sign-in failed · Pneumatic</title></head>
<body>
<main>
<h1>Sign-in failed</h1>
<p>${escapeHtml(error.detail)}</p>
<p>Error code: <code>${escapeHtml(error.code)}</code> (${error.status})</p>
<p><a href="/">Back to Pneumatic</a></p>
</main>
</body>
</html>
`;
}
