/** Hides the password (and user) in any URL of a text: `rtsp://admin:secret@10.0.0.5/` → `rtsp://***@10.0.0.5/`. */
export const redactCredentials = (text: string): string => text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/\s@'"]+@/gi, '$1***@');
