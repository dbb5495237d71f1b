// The chat widget: a launcher bubble and a conversation panel, talking to the assistant over
// Rasa's socket.io channel (channels/website.py). Everything is built with DOM calls inside a
// shadow root; no text is ever parsed as HTML.
import { io } from "socket.io-client";

import { ConversationStore, identityOf } from "./conversation_store.js";
import { renderMarkdown } from "./markdown.js";
import { photoCardOf, renderPhotoCard, upload } from "./photos.js";
import { stringsFor } from "./strings.js";
import { STYLES } from "./styles.js";

const ICONS = {
  chat: "M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2zm3 6a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3zm5 0a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3zm5 0a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3z",
  close: "M18.3 5.7 12 12l6.3 6.3-1.4 1.4L10.6 13.4 4.3 19.7 2.9 18.3 9.2 12 2.9 5.7 4.3 4.3l6.3 6.3 6.3-6.3z",
  send: "M3 20.5V14l9-2-9-2V3.5L22 12z",
  agent: "M12 2a5 5 0 1 1 0 10 5 5 0 0 1 0-10zm0 12c5.3 0 8 2.7 8 5v3H4v-3c0-2.3 2.7-5 8-5z",
};
const TYPING_TIMEOUT_MS = 20000;
// The length counter shows from this share of the limit on: "1,950 / 2,000".
const NEAR_LIMIT = 0.9;
const STEPS = ["ordered", "confirmed", "shipped", "delivered"];

// Characters as the server counts them (Python's len: code points, an emoji is one).
function lengthOf(text) {
  return Array.from(text).length;
}

// A card from the server, kept only if well formed: strings, a known type, an http(s) link.
function cardOf(raw) {
  if (raw && typeof raw === "object" && raw.type === "photos") return photoCardOf(raw);
  if (!raw || typeof raw !== "object" || !["order", "label"].includes(raw.type)) return null;
  const text = (value) => (typeof value === "string" ? value : "");
  const link = raw.link && /^https?:\/\//i.test(text(raw.link.url)) && text(raw.link.title)
    ? { title: raw.link.title, url: raw.link.url } : null;
  const dates = {};
  for (const step of STEPS) dates[step] = text(raw.dates && raw.dates[step]);
  return { type: raw.type, language: text(raw.language), title: text(raw.title), subtitle: text(raw.subtitle), detail: text(raw.detail),
    stage: STEPS.includes(raw.stage) ? raw.stage : "ordered", dates, link };
}

export const DEFAULTS = {
  serverUrl: "",            // the Rasa server, e.g. "https://assistant.example.com"
  socketPath: "/socket.io/",
  title: null,              // defaults to the language's own words
  subtitle: null,
  colors: {},               // { primary, onPrimary }
  customerToken: null,      // the shop's signed token for a logged-in customer
  language: null,           // "fr", "de-AT" ...; defaults to the page's <html lang>, else the browser's
  keepHistoryHours: 24,
  humanHandoffPayload: "/human_handoff",
  maxMessageCharacters: 2000, // the server's (channels/limits.yml) until its welcome says
  storage: null,            // defaults to window.localStorage
};

function svg(doc, path) {
  const ns = "http://www.w3.org/2000/svg";
  const icon = doc.createElementNS(ns, "svg");
  icon.setAttribute("viewBox", "0 0 24 24");
  icon.setAttribute("aria-hidden", "true");
  icon.setAttribute("focusable", "false");
  const shape = doc.createElementNS(ns, "path");
  shape.setAttribute("d", path);
  icon.append(shape);
  return icon;
}

function el(doc, tag, props = {}, ...children) {
  const node = doc.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "className") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : value);
  }
  node.append(...children);
  return node;
}

function newId() {
  return Math.random().toString(36).slice(2) + Date.now().toString(36);
}

export class ChatWidget {
  constructor(config) {
    this.config = { ...DEFAULTS, ...config, colors: { ...(config.colors || {}) } };
    this.doc = document;
    // The page's language: the widget's own words, and the conversation's first language
    // (the server goes on in the customer's if they clearly write in another).
    this.language = this.config.language || document.documentElement.lang || navigator.language || "en";
    this.t = stringsFor(this.language);
    const storage = this.config.storage || window.localStorage;
    const serverKey = this.config.serverUrl || window.location.origin;
    this.store = new ConversationStore(storage, `support-chat:${serverKey}`,
      identityOf(this.config.customerToken), this.config.keepHistoryHours);
    this.sessionConfirmed = false;
    this.typingTimer = null;
    this.maxCharacters = this.config.maxMessageCharacters;
    // Photos just chosen, shown while checked and once kept ("message id:slot" -> object URL);
    // after a reload the kept ones come back from the backend through their links.
    this.previews = new Map();
    this.uploading = new Set(); // the same keys, while their upload is under way
  }

  mount() {
    const doc = this.doc;
    this.host = el(doc, "div", { id: "support-chat", "data-support-chat": "", lang: this.t.lang });
    doc.body.append(this.host);
    const shadow = this.host.attachShadow({ mode: "open" });
    if (shadow.adoptedStyleSheets && typeof CSSStyleSheet.prototype.replaceSync === "function") {
      // An adopted style sheet works under a strict Content-Security-Policy (no 'unsafe-inline').
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(STYLES);
      shadow.adoptedStyleSheets = [sheet];
    } else {
      shadow.append(el(doc, "style", { text: STYLES }));
    }
    this.buildUi(shadow);
    this.renderAll();
    this.setOpen(this.store.state.open, { focus: false });
    this.connect();
    window.addEventListener("online", () => this.showStatus());
    window.addEventListener("offline", () => this.showStatus());
    window.addEventListener("pageshow", (event) => { if (event.persisted) this.restored(); });
    return this;
  }

  // A page the browser restored from its back-forward cache is as it was when left, token
  // included, though its customer may have logged out since (and someone else sits at the
  // computer). Its token is not acted on: the page is fetched again, and the website says who
  // is logged in now.
  restored() {
    if (!this.config.customerToken) return;
    this.socket?.disconnect();
    window.location.reload();
  }

  buildUi(shadow) {
    const { doc, t } = this;
    const colors = this.config.colors;
    this.root = el(doc, "div", { className: "root" });
    if (colors.primary) this.root.style.setProperty("--primary", colors.primary);
    if (colors.onPrimary) this.root.style.setProperty("--on-primary", colors.onPrimary);
    if (colors.accent) this.root.style.setProperty("--accent", colors.accent);

    this.badge = el(doc, "span", { className: "badge", "aria-hidden": "true", hidden: true });
    this.launcher = el(doc, "button", {
      className: "launcher", type: "button", "aria-haspopup": "dialog", "aria-expanded": "false",
      "aria-controls": "support-chat-panel", "aria-label": t.open, onclick: () => this.setOpen(!this.store.state.open),
    }, svg(doc, ICONS.chat), this.badge);

    const titleId = "support-chat-title";
    this.status = el(doc, "div", { className: "status", role: "status", hidden: true });
    this.log = el(doc, "div", {
      className: "log", role: "log", "aria-live": "polite", "aria-relevant": "additions", "aria-labelledby": titleId, tabindex: "0",
    });
    this.typing = el(doc, "div", { className: "typing", hidden: true },
      el(doc, "span"), el(doc, "span"), el(doc, "span"), el(doc, "span", { className: "visually-hidden", text: t.typing }));
    this.typingStatus = el(doc, "div", { className: "visually-hidden", role: "status" });
    // No maxlength: a paste is never cut. Near the limit a counter shows; over it, a note
    // says to shorten the message, and it is not sent until it is.
    this.counter = el(doc, "p", { className: "counter", id: "support-chat-counter", hidden: true });
    this.tooLong = el(doc, "p", { className: "too-long", role: "status" });
    this.input = el(doc, "textarea", {
      rows: "1", placeholder: t.placeholder, "aria-label": t.inputLabel, enterkeyhint: "send",
      "aria-describedby": "support-chat-counter",
      onkeydown: (event) => {
        if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
          event.preventDefault();
          this.submit();
        }
      },
      oninput: () => { this.fitInput(); this.showLength(); },
    });
    this.sendButton = el(doc, "button", { className: "send", type: "submit", "aria-label": t.send }, svg(doc, ICONS.send));
    const form = el(doc, "form", { onsubmit: (event) => { event.preventDefault(); this.submit(); } },
      this.input, this.sendButton);

    this.panel = el(doc, "div", {
      className: "panel", id: "support-chat-panel", role: "dialog", "aria-modal": "false", "aria-labelledby": titleId, hidden: true,
      onkeydown: (event) => { if (event.key === "Escape") this.setOpen(false); },
    },
    el(doc, "header", {},
      this.headerAvatar = el(doc, "div", { className: "avatar", "aria-hidden": "true" }, svg(doc, ICONS.chat)),
      el(doc, "div", { className: "heading" },
        this.titleNode = el(doc, "h2", { id: titleId, text: this.config.title || t.title }),
        this.subtitleNode = el(doc, "p", { text: this.config.subtitle || t.subtitle })),
      el(doc, "button", { className: "icon-button close", type: "button", "aria-label": t.close, onclick: () => this.setOpen(false) },
        svg(doc, ICONS.close))),
    this.status, this.log, this.typingStatus,
    el(doc, "div", { className: "actions" },
      this.humanButton = el(doc, "button", { className: "human", type: "button", onclick: () => this.askForPerson() },
        svg(doc, ICONS.agent), el(doc, "span", { text: t.humanButton })),
      // In the button's place while a person has the conversation (showWhoAnswers).
      this.person = el(doc, "p", { className: "person", role: "status", hidden: true })),
    el(doc, "div", { className: "length" }, this.tooLong, this.counter),
    form);

    this.root.append(this.panel, this.launcher);
    shadow.append(this.root);
  }

  // ---- opening and closing -------------------------------------------------------------

  setOpen(open, { focus = true } = {}) {
    this.store.update((s) => { s.open = open; if (open) s.unread = 0; });
    this.panel.hidden = !open;
    this.root.classList.toggle("open", open);
    this.launcher.setAttribute("aria-expanded", String(open));
    this.updateBadge();
    if (open) {
      this.scrollToEnd();
      if (focus) this.input.focus();
    } else if (focus) {
      this.launcher.focus();
    }
  }

  open() { this.setOpen(true); }

  close() { this.setOpen(false); }

  updateBadge() {
    const unread = this.store.state.unread;
    this.badge.hidden = unread === 0;
    this.badge.textContent = unread > 9 ? "9+" : String(unread);
    this.launcher.setAttribute("aria-label", unread ? this.t.openUnread(unread) : this.t.open);
    if (this.store.state.open) this.launcher.setAttribute("aria-label", this.t.close);
  }

  // ---- the conversation ----------------------------------------------------------------

  renderAll() {
    this.log.replaceChildren(this.renderWelcome());
    for (const message of this.store.messages) this.log.append(this.renderMessage(message));
    this.log.append(this.typing);
    this.showBrand();
    this.scrollToEnd();
  }

  // The first screen: who answers, the greeting and a few suggested topics (the brand
  // profile's, sent by the server as `welcome`). The topics go once the customer has written.
  renderWelcome() {
    const { doc, t } = this;
    const welcome = this.store.state.welcome || {};
    const name = (welcome.assistant && welcome.assistant.name) || t.assistant;
    const node = el(doc, "div", { className: "welcome" },
      this.avatarFor(welcome.assistant, name),
      el(doc, "div", { className: "welcome-text" },
        el(doc, "p", { className: "welcome-name", text: name }),
        el(doc, "p", { className: "welcome-greeting", text: welcome.greeting || t.greeting })));
    const started = this.store.messages.some((m) => m.from === "user");
    const topics = Array.isArray(welcome.topics) && !started ? welcome.topics : [];
    const extras = [];
    if (topics.length) {
      const group = el(doc, "div", { className: "choices", role: "group", "aria-label": t.suggestedTopics });
      for (const topic of topics) {
        group.append(el(doc, "button", { className: "choice", type: "button", text: topic.title,
          onclick: () => { this.send(topic.title, topic.payload); this.input.focus(); } }));
      }
      extras.push(group);
    }
    if (welcome.help_centre) {
      extras.push(el(doc, "a", { className: "help-centre", href: welcome.help_centre, target: "_blank", rel: "noopener",
        text: t.helpCentre }));
    }
    return el(doc, "div", { className: "welcome-block" }, node, ...extras);
  }

  showBrand() {
    const welcome = this.store.state.welcome;
    if (welcome && !this.config.title && welcome.title) this.titleNode.textContent = welcome.title;
    this.showWhoAnswers();
  }

  welcome(data) {
    if (!data || typeof data !== "object") return;
    const text = (value) => (typeof value === "string" ? value : "");
    const avatar = text(data.assistant && data.assistant.avatar);
    const help = text(data.help_centre);
    const welcome = {
      title: text(data.title),
      greeting: text(data.greeting),
      assistant: { name: text(data.assistant && data.assistant.name), avatar: /^https:\/\//i.test(avatar) ? avatar : "" },
      topics: (Array.isArray(data.topics) ? data.topics : [])
        .filter((b) => b && typeof b.title === "string" && typeof b.payload === "string").slice(0, 4),
      help_centre: /^https?:\/\//i.test(help) ? help : "",
    };
    if (Number.isInteger(data.max_message_characters) && data.max_message_characters > 0) {
      this.maxCharacters = data.max_message_characters;
      this.showLength();
    }
    this.store.update((s) => { s.welcome = welcome; });
    this.log.querySelector(".welcome-block")?.replaceWith(this.renderWelcome());
    this.showBrand();
  }

  // A round picture, or the name's first letter when there is none.
  avatarFor(who, name, className = "face") {
    const { doc } = this;
    const picture = who && who.avatar;
    if (picture) return el(doc, "img", { className, src: picture, alt: "", "aria-hidden": "true" });
    return el(doc, "span", { className: `${className} initial`, "aria-hidden": "true",
      text: (name || "?").trim().charAt(0).toUpperCase() });
  }

  // An order's progress or a return label: the item, the steps with their days, a link.
  renderCard(card) {
    const { doc } = this;
    // The answer's language, which can differ from the page's: its words and its lang attribute.
    const t = card.language ? stringsFor(card.language) : this.t;
    const node = el(doc, "div", { className: `card ${card.type}`, lang: card.language && t.lang !== this.t.lang ? t.lang : null },
      el(doc, "p", { className: "card-title", text: card.title }),
      card.subtitle ? el(doc, "p", { className: "card-subtitle", text: card.subtitle }) : "");
    if (card.type === "order") {
      const reached = STEPS.indexOf(card.stage);
      const steps = el(doc, "ol", { className: "steps", "aria-label": t.progress });
      STEPS.forEach((step, index) => {
        const done = index <= reached;
        const day = card.dates[step] || "";
        const when = done ? day : (day ? t.expected(day) : "");
        steps.append(el(doc, "li", { className: `step${done ? " done" : ""}${index === reached ? " current" : ""}`,
          "aria-current": index === reached ? "step" : null },
        el(doc, "span", { className: "dot", "aria-hidden": "true" }),
        el(doc, "span", { className: "step-name", text: t.steps[step] }),
        el(doc, "span", { className: "visually-hidden", text: done ? `, ${t.stepDone}` : `, ${t.stepAhead}` }),
        when ? el(doc, "span", { className: "step-day", text: when }) : ""));
      });
      node.append(steps);
    }
    if (card.detail) node.append(el(doc, "p", { className: "card-detail", text: card.detail }));
    if (card.link) {
      node.append(el(doc, "a", { className: "card-link", href: card.link.url, target: "_blank", rel: "noopener" },
        el(doc, "span", { text: card.link.title }), el(doc, "span", { className: "visually-hidden", text: ` (${t.newTab})` })));
    }
    return node;
  }

  renderMessage(message) {
    const { doc, t } = this;
    const bubble = el(doc, "div", { className: "bubble" });
    // A photo's verdict sent to the assistant (sendQuietly): the card shows it, not a bubble.
    if (message.hidden) return el(doc, "div", { hidden: true, "data-id": message.id });
    if (message.from === "user") {
      bubble.textContent = message.text; // what the customer typed is shown as typed, never as markup
    } else if (message.image) {
      bubble.append(el(doc, "img", { src: message.image, alt: "" }));
    } else {
      bubble.append(renderMarkdown(doc, message.text || ""));
      if (message.card) bubble.append(message.card.type === "photos" ? this.renderPhotos(message) : this.renderCard(message.card));
    }
    const time = new Date(message.at);
    // The browser's locale and zone, which flush() sends so that answers use the same clock:
    // the locale's own short time (CLDR's, as in the answers): "00:27" in fr-FR and en-GB,
    // "12:27 AM" in en-US.
    const clock = new Intl.DateTimeFormat(navigator.language || undefined, { timeStyle: "short" });
    // An agent's messages say who wrote them; the assistant's and the customer's don't need to.
    const author = message.agent
      ? el(doc, "span", { className: "author", text: `${t.agentLabel(message.agent)} · ` })
      : el(doc, "span", { className: "visually-hidden", text: `${message.from === "user" ? t.you : t.assistant}, ` });
    const meta = el(doc, "div", { className: "meta" }, author,
      el(doc, "time", { datetime: time.toISOString(), text: clock.format(time) }));
    if (message.pending) meta.append(" · ", el(doc, "span", { className: "pending", text: t.waiting }));
    const node = el(doc, "div", { className: `message ${message.from}${message.agent ? " agent" : ""}`, "data-id": message.id },
      bubble, meta);
    if (message.buttons && message.buttons.length) {
      // Once answered, the choices stay, greyed, with the one taken marked: the question above
      // them still reads as it was asked.
      const answered = message.answered !== undefined;
      const group = el(doc, "div", { className: `choices${answered ? " answered" : ""}`, role: "group", "aria-label": t.suggestions });
      for (const button of message.buttons) {
        const chosen = answered && message.answered === button.payload;
        group.append(el(doc, "button", {
          className: `choice${chosen ? " chosen" : ""}`, type: "button", text: button.title, disabled: answered,
          "aria-pressed": answered ? String(chosen) : null,
          onclick: () => this.choose(message, button),
        }));
      }
      node.append(group);
    }
    if (message.from === "bot" || message.agent) {
      const who = message.agent ? { name: message.agent } : (this.store.state.welcome || {}).assistant;
      const name = message.agent || (who && who.name) || t.assistant;
      return el(doc, "div", { className: `row ${message.agent ? "agent" : "bot"}${message.card ? " with-card" : ""}` },
        this.avatarFor(message.agent ? null : who, name, message.agent ? "face agent-face" : "face"), node);
    }
    return node;
  }

  append(message) {
    const replaced = message.card && message.card.type === "photos" ? this.livePhotoCard() : null;
    this.store.update((s) => {
      s.messages.push(message);
      if (message.from === "bot" && !s.open) s.unread += 1;
    });
    if (replaced) this.rerender(replaced); // a newer card takes the photos from here on
    this.log.insertBefore(this.renderMessage(message), this.typing);
    this.showWhoAnswers();
    this.updateBadge();
    this.scrollToEnd();
  }

  // ---- the return photos ---------------------------------------------------------------

  livePhotoCard() {
    return this.store.messages.filter((m) => m.card && m.card.type === "photos").pop() || null;
  }

  renderPhotos(message) {
    const key = (slot) => `${message.id}:${slot.slot}`;
    // A check that was under way when the page was left is no longer: the slot is as the backend says.
    const card = { ...message.card, slots: message.card.slots.map((s) => ({ ...s, preview: this.previews.get(key(s)),
      attempt: s.attempt === "checking" && !this.uploading.has(key(s)) ? null : s.attempt })) };
    return renderPhotoCard(this.doc, el, svg, this.t, card, {
      live: this.livePhotoCard() === message,
      onFile: (slot, file) => this.takePhoto(message, slot.slot, file, key(slot)),
    });
  }

  async takePhoto(message, name, file, key) {
    const slot = message.card.slots.find((s) => s.slot === name);
    const kept = this.previews.get(key);
    const preview = URL.createObjectURL(file);
    this.previews.set(key, preview);
    this.store.update(() => { slot.attempt = "checking"; });
    this.rerender(message);
    this.uploading.add(key);
    const verdict = await upload(slot, file);
    this.uploading.delete(key);
    // A refused retake leaves the slot's earlier photo kept: the backend replaces it only with a good one.
    const shown = verdict === "accepted" ? preview : kept;
    if (verdict !== "accepted") URL.revokeObjectURL(preview);
    else if (kept) URL.revokeObjectURL(kept);
    if (shown) this.previews.set(key, shown); else this.previews.delete(key);
    this.store.update(() => {
      slot.attempt = verdict === "accepted" ? null : verdict;
      slot.taken = slot.taken || verdict === "accepted";
    });
    this.rerender(message);
    this.sendQuietly(`/photo_received${JSON.stringify({ photo_slot: name, photo_check: verdict })}`);
  }

  // The assistant's answer to a photo goes on the live card when the customer's latest message
  // was that photo's verdict; true when it did.
  notePhoto(text) {
    const latest = this.store.messages.filter((m) => m.from === "user").pop();
    const card = this.livePhotoCard();
    if (!latest || !latest.hidden || !card) return false;
    this.store.update(() => { card.card.note = text; card.card.notes = (card.card.notes || 0) + 1; });
    this.rerender(card);
    return true;
  }

  // A message for the assistant only: sent like any other (in order, kept while offline).
  sendQuietly(payload) {
    this.append({ id: newId(), from: "user", hidden: true, text: "", payload, at: Date.now(), pending: true });
    this.flush();
  }

  rerender(message) {
    const node = this.log.querySelector(`[data-id="${CSS.escape(message.id)}"]`);
    if (node) (node.parentElement.classList.contains("row") ? node.parentElement : node).replaceWith(this.renderMessage(message));
  }

  // Quick replies answer the question they came with: once the customer answers, by a click
  // or by typing, they go.
  retireChoices(payload) {
    this.store.update((s) => {
      for (const message of s.messages) {
        if (message.buttons && message.buttons.length && message.answered === undefined) {
          message.answered = message.buttons.some((b) => b.payload === payload) ? payload : null;
          this.rerender(message);
        }
      }
    });
    this.log.querySelector(".welcome-block .choices")?.remove();
    this.showWhoAnswers();
  }

  // The quick reply the customer's last message was taken as, which the server says with its
  // answer (channels/website_responses.py): a typed "next" is marked as a click on "Next step".
  markAnswered(payload) {
    const messages = this.store.messages;
    const last = messages.map((m) => m.from).lastIndexOf("user");
    for (let i = last - 1; i >= 0 && messages[i].from !== "user"; i -= 1) {
      const message = messages[i];
      if (!Array.isArray(message.buttons) || !message.buttons.length) continue;
      if (message.answered === null && message.buttons.some((b) => b.payload === payload)) {
        this.store.update(() => { message.answered = payload; });
        this.rerender(message);
      }
      return; // the latest question with quick replies is the one answered
    }
  }

  choose(message, button) {
    this.send(button.title, button.payload);
    this.input.focus();
  }

  askForPerson() {
    this.send(this.t.humanMessage, this.config.humanHandoffPayload);
  }

  submit() {
    const text = this.input.value.trim();
    if (!text) return;
    if (this.showLength()) return; // too long: the note says so, the text stays to be shortened
    this.input.value = "";
    this.fitInput();
    this.showLength();
    this.send(text, text);
  }

  // The counter near the limit, the note over it; true when the message is too long to send.
  showLength() {
    const { t } = this;
    const length = lengthOf(this.input.value.trim());
    const over = length > this.maxCharacters;
    const number = new Intl.NumberFormat(navigator.language || undefined);
    this.counter.hidden = length < this.maxCharacters * NEAR_LIMIT;
    this.counter.textContent = t.counter(number.format(length), number.format(this.maxCharacters));
    this.counter.classList.toggle("over", over);
    const note = over ? t.tooLong(number.format(this.maxCharacters)) : "";
    if (this.tooLong.textContent !== note) this.tooLong.textContent = note; // announced once, not at each key
    if (over) this.input.setAttribute("aria-invalid", "true");
    else this.input.removeAttribute("aria-invalid");
    this.sendButton.setAttribute("aria-disabled", String(over));
    return over;
  }

  send(shown, payload) {
    this.retireChoices(payload);
    const message = { id: newId(), from: "user", text: shown, payload, at: Date.now(), pending: true };
    this.append(message);
    this.flush();
  }

  // Sends what is waiting, oldest first, once the server has confirmed the session; until
  // then (or while offline) messages wait, saved, and go when the connection is back.
  flush() {
    if (!this.socket || !this.socket.connected || !this.sessionConfirmed) {
      this.showStatus();
      return;
    }
    for (const message of this.store.messages.filter((m) => m.pending)) {
      this.socket.emit("user_uttered", {
        message: message.payload,
        session_id: this.store.state.sessionId,
        customData: {
          customer_token: this.config.customerToken || undefined, language: this.language,
          // Answers say times in the customer's zone and locale, like the timestamps here.
          timezone: Intl.DateTimeFormat().resolvedOptions().timeZone, locale: navigator.language,
        },
      });
      this.store.update(() => { message.pending = false; });
      this.rerender(message);
      // While a person has the conversation the assistant is silent, and nothing says when the
      // person is typing: no indicator then.
      if (!this.store.state.handoff) this.setTyping(true);
    }
  }

  receive(data) {
    if (!data || typeof data !== "object") return;
    this.setTyping(false);
    const base = { id: newId(), from: "bot", at: Date.now() };
    const image = data.attachment && data.attachment.type === "image" && data.attachment.payload
      ? String(data.attachment.payload.src || "") : "";
    if (/^https?:\/\//i.test(image)) {
      this.append({ ...base, image });
      return;
    }
    // A card comes as a custom payload (domain.yml, channel socketio): its sentence, the card
    // and its quick replies.
    const custom = data.custom && typeof data.custom === "object" ? data.custom : null;
    // Who answers: the assistant, until a handoff starts (utter_handoff's custom payload says
    // "waiting"); then a person, named once they write, until the assistant takes the
    // conversation back ("ended", channels/website.py).
    const agent = data.agent && typeof data.agent.name === "string" ? data.agent.name : "";
    const handoff = agent ? "answering" : (custom && custom.handoff) || data.handoff;
    if (["waiting", "answering", "ended"].includes(handoff)) {
      this.store.update((s) => {
        s.handoff = handoff === "ended" ? null : handoff;
        s.person = agent || null;
      });
      this.showWhoAnswers();
    }
    const text = custom ? custom.text : data.text;
    const card = custom ? cardOf(custom.card) : null;
    if (typeof data.answered === "string") this.markAnswered(data.answered);
    if ((typeof text !== "string" || !text) && !card) return;
    const source = custom || data;
    const buttons = Array.isArray(source.quick_replies || source.buttons) ? (source.quick_replies || source.buttons) : [];
    if (!card && !buttons.length && !agent && this.notePhoto(text)) return;
    if (agent) base.agent = agent;
    this.append({
      ...base,
      text: typeof text === "string" ? text : "",
      ...(card ? { card } : {}),
      buttons: buttons
        .filter((b) => b && typeof b.title === "string" && typeof b.payload === "string")
        .map((b) => ({ title: b.title, payload: b.payload })),
    });
  }

  // Who has the conversation, in the header and in the place of "Talk to a person": the
  // assistant, a person waited for, or the person answering. One way to ask for a person at a
  // time: the button also goes while a question above offers it.
  showWhoAnswers() {
    const { t } = this;
    const { handoff, person, welcome } = this.store.state;
    this.subtitleNode.textContent = this.subtitle();
    const assistant = (welcome && welcome.assistant) || null;
    const face = handoff === "answering" ? `agent:${person}` : assistant && `assistant:${assistant.name}:${assistant.avatar}`;
    if (face && face !== this.headerFace) { // replaced only when someone else answers
      this.headerFace = face;
      this.headerAvatar.replaceWith(this.headerAvatar = handoff === "answering"
        ? this.avatarFor(null, person, "avatar agent-face") : this.avatarFor(assistant, assistant.name || "", "avatar"));
    }
    this.person.hidden = !handoff;
    this.person.textContent = handoff === "answering" ? t.personAnswering(person)
      : handoff === "waiting" ? t.personWaiting : "";
    this.humanButton.hidden = Boolean(handoff) || this.offered(this.config.humanHandoffPayload);
  }

  subtitle() {
    const { t } = this;
    const { handoff, person, welcome } = this.store.state;
    if (handoff === "answering") return t.headerPerson(person);
    if (handoff === "waiting") return t.headerWaiting;
    const name = welcome && welcome.assistant && welcome.assistant.name;
    return this.config.subtitle || (name ? t.assistantSubtitle(name) : t.subtitle);
  }

  // Whether a question not answered yet offers this payload as a quick reply.
  offered(payload) {
    return this.store.messages.some((m) => m.answered === undefined && Array.isArray(m.buttons)
      && m.buttons.some((b) => b.payload === payload));
  }

  setTyping(on) {
    clearTimeout(this.typingTimer);
    this.typing.hidden = !on;
    this.typingStatus.textContent = on ? this.t.typing : "";
    if (on) {
      this.typingTimer = setTimeout(() => this.setTyping(false), TYPING_TIMEOUT_MS);
      this.scrollToEnd();
    }
  }

  fitInput() {
    this.input.style.height = "auto";
    this.input.style.height = `${Math.min(this.input.scrollHeight, 120)}px`;
  }

  scrollToEnd() {
    this.log.scrollTop = this.log.scrollHeight;
  }

  // ---- the connection ------------------------------------------------------------------

  connect() {
    this.socket = io(this.config.serverUrl || undefined, {
      path: this.config.socketPath,
      transports: ["websocket", "polling"],
      reconnectionDelayMax: 5000,
    });
    this.socket.on("connect", () => {
      this.sessionConfirmed = false;
      this.socket.emit("session_request", { session_id: this.store.state.sessionId, language: this.language });
    });
    this.socket.on("session_confirm", (sessionId) => {
      const id = typeof sessionId === "string" ? sessionId : sessionId && sessionId.session_id;
      this.store.update((s) => { s.sessionId = id; });
      this.sessionConfirmed = true;
      this.showStatus(this.hadConnection ? "reconnected" : null);
      this.hadConnection = true;
      this.flush();
    });
    this.socket.on("bot_uttered", (data) => this.receive(data));
    this.socket.on("welcome", (data) => this.welcome(data));
    this.socket.on("disconnect", () => { this.sessionConfirmed = false; this.setTyping(false); this.showStatus(); });
    this.socket.on("connect_error", () => this.showStatus());
    this.showStatus();
  }

  showStatus(event = null) {
    const { t } = this;
    clearTimeout(this.statusTimer);
    let text = null;
    if (!navigator.onLine) text = t.offline;
    else if (!this.socket || !this.sessionConfirmed) text = this.hadConnection ? t.reconnecting : t.connecting;
    else if (event === "reconnected") text = t.reconnected;
    this.status.hidden = !text;
    this.status.textContent = text || "";
    this.status.classList.toggle("ok", event === "reconnected");
    this.root.dataset.connection = this.sessionConfirmed ? "online" : "offline";
    if (event === "reconnected") this.statusTimer = setTimeout(() => this.showStatus(), 3000);
  }
}
