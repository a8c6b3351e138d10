// Everything from a capture reaches the report through these: text and attributes are entity-escaped,
// embedded JSON cannot close its <script> element, and no control character survives.

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

// C0/C1 controls except tab/newline, and bidi overrides that could disguise text.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** Text safe inside an element or a quoted attribute. */
export function escapeHtml(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  return String(value).replace(CONTROL, '\ufffd').replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/** JSON for a `<script type="application/json">` block: '<', '>', '&' and line separators are \\u-escaped. */
export function jsonForHtml(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** A string stripped of control characters (for data handed to the page's script). */
export function cleanText(s: string): string {
  return s.replace(CONTROL, '\ufffd');
}
