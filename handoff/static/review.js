// The review queue (/desk/review, handoff/templates/review.html): the messages the assistant
// misunderstood, in groups of similar ones, for an agent to label in a few keys: 1, 2, 3 take
// the assistant's guesses, o out of scope, d discard, / another intent (Enter labels), j/k or
// the arrows move between groups. Each message's box leaves it out of its group's label.
// Every word comes from the page (handoff/wording.yml, in support's language).
"use strict";

const words = JSON.parse(document.getElementById("page-data").textContent);
const lang = document.documentElement.lang || "en";
const percent = new Intl.NumberFormat(lang, { style: "percent", maximumFractionDigits: 0 });
const when = new Intl.DateTimeFormat(lang, { dateStyle: "medium", timeStyle: "short" });
const OUT_OF_SCOPE = "out_of_scope";
const DISCARDED = "discarded"; // insights/review.py's DISCARDED
const list = document.getElementById("groups");
const status = document.getElementById("status");
const languageFilter = document.getElementById("language");
let current = 0; // the group the keys act on
let busy = false; // one label at a time: a key pressed twice labels once

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  Object.entries(attributes).forEach(([key, value]) => node.setAttribute(key, value));
  children.forEach((child) => node.append(child));
  return node;
}

function fill(template, values) {
  return Object.entries(values).reduce((text, [key, value]) => text.split(`{${key}}`).join(value), template);
}

function capitalised(text) {
  return text ? text.charAt(0).toLocaleUpperCase(lang) + text.slice(1) : text;
}

function say(text, isError = false) {
  status.classList.toggle("error", isError);
  status.textContent = text;
}

async function api(path, options = {}) {
  const response = await fetch(`/desk/api${path}`, {
    headers: { "Content-Type": "application/json" }, credentials: "same-origin", ...options,
  });
  if (response.status === 401) { window.location = "/desk/login"; throw new Error(response.statusText); }
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.error || body.detail || String(response.status));
  return body;
}

function action(label, key, text) {
  return element("button", { type: "button", "data-label": label, "aria-keyshortcuts": key },
    element("kbd", { "aria-hidden": "true" }, key), text);
}

function message(item) {
  const id = `item-${item.id}`;
  const about = [words.kinds[item.kind] || item.kind, capitalised(words.languages[item.language]) || item.language,
    words.channels[item.channel] || item.channel, when.format(new Date(item.at))].filter(Boolean).join(" · ");
  return element("li", {},
    element("input", { type: "checkbox", id, value: String(item.id), checked: "", "aria-label": fill(words.include, { text: item.text }) }),
    element("label", { for: id }, item.text),
    element("span", { class: "about" }, about));
}

function group(g, index, intents) {
  const title = `group-${g.id}-title`;
  const picker = `group-${g.id}-intent`;
  const guesses = g.guesses.slice(0, 3).map((guess, n) => action(guess.intent, String(n + 1),
    fill(words.guess, { intent: guess.intent, confidence: percent.format(guess.confidence) })));
  const select = element("select", { id: picker, class: "intent" },
    element("option", { value: "" }, words.choose_intent), ...intents.map((intent) => element("option", { value: intent }, intent)));
  return element("li", { "data-index": String(index), tabindex: "-1", "aria-labelledby": title },
    element("h3", { id: title }, element("q", {}, g.items[0].text), " ",
      element("span", { class: "size" }, fill(words.size, { count: String(g.size) }))),
    element("ul", { class: "messages" }, ...g.items.map(message)),
    element("div", { class: "actions" },
      element("span", { class: "guesses", role: "group", "aria-label": words.guesses },
        ...(guesses.length ? guesses : [element("span", {}, words.no_guess)])),
      action(OUT_OF_SCOPE, "o", words.out_of_scope),
      action(DISCARDED, "d", words.discard),
      element("span", { class: "pick" }, element("label", { for: picker }, words.other_intent), select,
        element("button", { type: "button", class: "confirm" }, words.label))));
}

function groups() {
  return [...list.querySelectorAll(":scope > li[data-index]")];
}

function mark(index, focus) {
  const all = groups();
  if (!all.length) return;
  current = Math.max(0, Math.min(index, all.length - 1));
  all.forEach((node, n) => node.classList.toggle("current", n === current));
  if (focus) {
    all[current].focus();
    all[current].scrollIntoView({ block: "nearest" });
  }
}

async function refresh(focus = false) {
  const language = languageFilter.value;
  const queue = await api(`/review${language ? `?language=${encodeURIComponent(language)}` : ""}`);
  document.getElementById("counts").textContent = fill(words.counts, { open: queue.open, labelled: queue.labelled });
  list.replaceChildren(...queue.groups.map((g, index) => group(g, index, queue.intents)));
  if (!queue.groups.length) list.append(element("li", { class: "empty" }, words.empty));
  mark(current, focus);
}

async function labelWith(node, label) {
  if (busy || !node) return;
  const items = [...node.querySelectorAll(".messages input:checked")].map((box) => Number(box.value));
  if (!label) { say(words.choose_intent, true); return; }
  if (!items.length) { say(words.none_checked, true); return; }
  busy = true;
  const focused = node.contains(document.activeElement);
  try {
    const done = await api("/review/label", { method: "POST", body: JSON.stringify({ items, label }) });
    // The list first, then the news: what is announced is what the screen shows.
    await refresh(focused || document.activeElement === document.body);
    const named = label === OUT_OF_SCOPE ? words.out_of_scope : label;
    say(label === DISCARDED ? fill(words.discarded, { count: done.labelled })
      : fill(words.labelled, { label: named, count: done.labelled }));
  } catch (error) {
    say(error.message, true);
  } finally {
    busy = false;
  }
}

function groupOf(node) {
  return node.closest ? node.closest("#groups > li[data-index]") : null;
}

list.addEventListener("click", (event) => {
  const button = event.target.closest("button");
  const node = button && groupOf(button);
  if (!node) return;
  mark(Number(node.dataset.index), false);
  labelWith(node, button.classList.contains("confirm") ? node.querySelector("select.intent").value : button.dataset.label);
});

list.addEventListener("focusin", (event) => {
  const node = groupOf(event.target);
  if (node) mark(Number(node.dataset.index), false);
});

document.addEventListener("keydown", (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  const target = event.target;
  if (target.tagName === "SELECT") { // its own keys (arrows, letters) choose; Enter labels
    if (event.key === "Enter" && target.classList.contains("intent")) {
      event.preventDefault();
      labelWith(groupOf(target), target.value);
    }
    return;
  }
  if (target.tagName === "TEXTAREA" || (target.tagName === "INPUT" && target.type !== "checkbox")) return;
  const node = groups()[current];
  if (!node) return;
  const guess = ["1", "2", "3"].includes(event.key) && node.querySelectorAll(".guesses button")[Number(event.key) - 1];
  if (guess) labelWith(node, guess.dataset.label);
  else if (event.key === "o") labelWith(node, OUT_OF_SCOPE);
  else if (event.key === "d") labelWith(node, DISCARDED);
  else if (event.key === "/") node.querySelector("select.intent").focus();
  else if (event.key === "j" || event.key === "ArrowDown") mark(current + 1, true);
  else if (event.key === "k" || event.key === "ArrowUp") mark(current - 1, true);
  else return;
  event.preventDefault();
});

languageFilter.addEventListener("change", async () => {
  const address = new URL(window.location);
  if (languageFilter.value) address.searchParams.set("language", languageFilter.value);
  else address.searchParams.delete("language");
  history.replaceState(null, "", address);
  current = 0;
  try { await refresh(); say(""); } catch (error) { say(error.message, true); }
});

Object.entries(words.languages).forEach(([code, name]) => languageFilter.append(
  element("option", { value: code }, capitalised(name))));
languageFilter.value = new URLSearchParams(window.location.search).get("language") || "";
refresh().then(() => say("")).catch((error) => say(error.message, true));
