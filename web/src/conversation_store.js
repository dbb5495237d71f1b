// The conversation kept in the browser (localStorage), so a reload or another page of the
// same site shows it again and goes on with the same session on the server.
//
// It belongs to one person: the customer named in the token the page passes (its `sub`,
// read without verifying, which is the server's job), or "anonymous". When the page names
// someone else (a customer logged out, or another logged in), the old conversation is
// dropped, so the next person at a shared computer never sees it.

const VERSION = 1;

export function identityOf(customerToken) {
  if (!customerToken) return "anonymous";
  try {
    const body = customerToken.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    const claims = JSON.parse(atob(body));
    return typeof claims.sub === "string" && claims.sub ? `customer:${claims.sub}` : "anonymous";
  } catch (error) {
    return "anonymous";
  }
}

function empty(identity) {
  return { version: VERSION, identity, sessionId: null, messages: [], open: false, unread: 0, savedAt: Date.now() };
}

export class ConversationStore {
  constructor(storage, key, identity, keepHours) {
    this.storage = storage;
    this.key = key;
    this.state = this.load(identity, keepHours);
    this.save();
  }

  load(identity, keepHours) {
    let saved = null;
    try {
      saved = JSON.parse(this.storage.getItem(this.key) || "null");
    } catch (error) {
      saved = null; // unreadable: start afresh rather than fail
    }
    const fresh = saved && saved.version === VERSION && saved.identity === identity
      && Date.now() - saved.savedAt < keepHours * 3600 * 1000;
    return fresh ? saved : empty(identity);
  }

  save() {
    this.state.savedAt = Date.now();
    try {
      this.storage.setItem(this.key, JSON.stringify(this.state));
    } catch (error) {
      // Storage full or disabled (private mode): the conversation still works, unsaved.
    }
  }

  update(change) {
    change(this.state);
    this.save();
  }

  get messages() { return this.state.messages; }
}
