// The reference desk: the queue and the open conversation, refreshed every second (the
// service's JSON API; the session cookie authenticates).
"use strict";

const POLL_MS = 1000;
let current = null; // the id of the conversation on screen
let shown = ""; // what is drawn, to redraw only on change

async function api(path, options = {}) {
  const response = await fetch(`/desk/api${path}`, {
    headers: { "Content-Type": "application/json" }, credentials: "same-origin", ...options,
  });
  if (response.status === 401) { window.location = "/desk/login"; throw new Error("logged out"); }
  if (!response.ok) {
    const body = await response.json().catch(() => ({}));
    throw new Error(body.error || body.detail || `error ${response.status}`);
  }
  return response.status === 204 ? null : response.json();
}

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  Object.entries(attributes).forEach(([key, value]) => node.setAttribute(key, value));
  children.forEach((child) => node.append(child));
  return node;
}

function time(iso) {
  return new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
}

const CHANNELS = { socketio: "website chat", rest: "REST API" };
const channel = (name) => CHANNELS[name] || name;
const STATUS = { waiting: "waiting", active: "answering", resolved: "resolved", given_back: "given back" };

function drawQueue(handoffs) {
  const queue = document.getElementById("queue");
  queue.replaceChildren();
  if (!handoffs.length) queue.append(element("li", { class: "empty" }, "Nobody is waiting."));
  for (const h of handoffs) {
    const link = element("a", { href: `#${h.id}`, "data-id": h.id },
      element("span", { class: `badge ${h.status}` }, STATUS[h.status] || h.status), " ",
      element("strong", {}, h.reason),
      element("span", { class: "meta" }, `since ${time(h.since)} · ${channel(h.channel)}${h.agent ? ` · ${h.agent}` : ""}`));
    if (h.id === current) link.setAttribute("aria-current", "true");
    queue.append(element("li", {}, link));
  }
}

function line(author, who, text, at, extra = "") {
  return element("li", { class: `${author} ${extra}`.trim() },
    element("span", { class: "who" }, `${who} · ${time(at)}`), text);
}

function drawConversation(c) {
  document.getElementById("conversation").hidden = false;
  document.getElementById("reason").textContent = `${c.reason} (${STATUS[c.status] || c.status})`;
  document.getElementById("summary").textContent = c.summary;
  const context = document.getElementById("context");
  context.replaceChildren();
  const customer = c.ticket.customer || {};
  const facts = [["Customer", [customer.status, customer.name, customer.id, customer.email].filter(Boolean).join(", ")],
    ["Channel", channel(c.channel)]];
  Object.entries(c.ticket.order || {}).forEach(([key, value]) => {
    if (value !== null && value !== "") facts.push([key.replace(/_/g, " "), String(value)]);
  });
  if ((c.ticket.topics || []).length) facts.push(["Topics", c.ticket.topics.join(", ")]);
  if (c.solved !== null) facts.push(["Customer's rating", c.solved ? "solved" : "not solved"]);
  facts.forEach(([term, value]) => context.append(element("dt", {}, term), element("dd", {}, value)));
  const transcript = document.getElementById("transcript");
  transcript.replaceChildren();
  const names = { customer: "Customer", assistant: "Assistant", agent: "Agent" };
  (c.ticket.transcript || []).forEach((l) => transcript.append(line(l.author, names[l.author] || l.author, l.text, l.at)));
  c.messages.forEach((m) => transcript.append(line(m.from, m.from === "customer" ? "Customer" : m.author || "Agent",
    m.text, m.at, m.failed ? "failed" : !m.delivered ? "undelivered" : "")));
  const open = c.status === "waiting" || c.status === "active";
  document.querySelectorAll("#reply textarea, #reply button").forEach((b) => { b.disabled = !open; });
}

async function refresh() {
  try {
    const handoffs = await api("/handoffs");
    if (!current && location.hash.length > 1) current = location.hash.slice(1);
    const conversation = current ? await api(`/handoffs/${current}`) : null;
    const drawn = JSON.stringify([handoffs, conversation]);
    if (drawn !== shown) {
      shown = drawn;
      drawQueue(handoffs);
      if (conversation) drawConversation(conversation);
    }
  } catch (error) {
    document.getElementById("status").textContent = error.message;
  }
}

document.getElementById("queue").addEventListener("click", (event) => {
  const link = event.target.closest("a[data-id]");
  if (!link) return;
  current = link.dataset.id;
  shown = "";
  refresh();
});

async function act(path, body) {
  const status = document.getElementById("status");
  try {
    await api(`/handoffs/${current}/${path}`, { method: "POST", body: body ? JSON.stringify(body) : undefined });
    status.textContent = "";
    shown = "";
    await refresh();
    return true;
  } catch (error) {
    status.textContent = error.message;
    return false;
  }
}

document.getElementById("reply").addEventListener("submit", async (event) => {
  event.preventDefault();
  const text = document.getElementById("reply-text");
  if (text.value.trim() && await act("reply", { text: text.value })) text.value = "";
});
document.getElementById("resolve").addEventListener("click", () => act("resolve"));
document.getElementById("give-back").addEventListener("click", () => act("give-back"));

api("/me").then((me) => { document.getElementById("me").textContent = `Logged in as ${me.name}`; });
refresh();
setInterval(refresh, POLL_MS);
