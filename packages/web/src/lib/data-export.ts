/**
 * "Download my data" (docs/API.md, "Your data"): the SDK reads `GET /users/me/export` as one
 * JSON document; this saves it as a file the browser downloads, named after the account.
 */

/** `pneumatic-export-alice.json`: usernames are letters, digits, "_", "." and "-", safe in a file name. */
export function exportFileName(username: string): string {
  const safe = username.replace(/[^A-Za-z0-9_.-]/g, '_');
  return `pneumatic-export-${safe}.json`;
}

/** The document as the file holds it: indented, so it reads in a text editor too. */
export function exportFileText(data: unknown): string {
  return `${JSON.stringify(data, null, 2)}\n`;
}

/**
 * Hands `text` to the browser as a download named `name` (a link to an object URL, clicked);
 * the URL is released once the browser has had the chance to start the download.
 */
export function saveTextFile(text: string, name: string, type = 'application/json'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
