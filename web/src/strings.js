// The widget's own words (the assistant's answers come from the server, in the conversation's
// language). One file a language in strings/, each with the keys of en.js; `language` in the
// config (or the page's, or the browser's) picks one, English otherwise.
import de from "./strings/de.js";
import en from "./strings/en.js";
import es from "./strings/es.js";
import fr from "./strings/fr.js";
import it from "./strings/it.js";

const STRINGS = { en, fr, de, es, it };

export function stringsFor(language) {
  const base = String(language || "en").toLowerCase().split(/[-_]/)[0];
  return STRINGS[base] || STRINGS.en;
}
