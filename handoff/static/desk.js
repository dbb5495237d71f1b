// The reference desk: the queue and the open conversation, refreshed every second (the
// service's JSON API; the session cookie authenticates).
"use strict";

const POLL_MS = 1000;
// The return photos change seldom, and asking for them asks the order backend: less often.
const PHOTOS_POLL_MS = 10000;
let current = null; // the id of the conversation on screen
let shown = ""; // what is drawn, to redraw only on change
let photosOf = null; // the conversation whose photos were last asked for, and when
let photosAskedAt = 0;
let photosShown = ""; // redrawn only on change: a photo is never cached, so a redraw downloads it again
const transcript = document.getElementById("transcript");
let following = true; // the agent is at the end of the transcript: new lines stay in view

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

// The service says everything in words (handoff/wording.yml): this page only draws it.
function drawQueue(handoffs) {
  const queue = document.getElementById("queue");
  queue.replaceChildren();
  if (!handoffs.length) queue.append(element("li", { class: "empty" }, document.body.dataset.nobodyWaiting));
  for (const h of handoffs) {
    const link = element("a", { href: `#${h.id}`, "data-id": h.id },
      element("span", { class: "top" }, element("strong", { class: "who" }, h.who),
        element("span", { class: `badge ${h.status}` }, h.status_name || h.status)),
      ...(h.about ? [element("span", { class: "about" }, h.about)] : []),
      element("span", { class: "reason" }, h.reason),
      element("span", { class: "meta" }, `${h.waiting} · ${h.channel_name}`));
    if (h.id === current) link.setAttribute("aria-current", "true");
    queue.append(element("li", {}, link));
  }
}

function line(l) {
  if (l.author === "event") return element("li", { class: "event" }, `${l.text} · ${time(l.at)}`);
  const who = [l.name, time(l.at), l.note].filter(Boolean).join(" · ");
  return element("li", { class: `${l.author}${l.note ? " undelivered" : ""}` },
    element("span", { class: "who" }, who), l.text);
}

function drawConversation(c) {
  document.getElementById("conversation").hidden = false;
  document.getElementById("reason").textContent = `${c.who} · ${c.waiting}`;
  document.getElementById("summary").textContent = c.summary;
  document.getElementById("last-message").textContent = c.last_message || "";
  document.querySelector(".summary .last").hidden = !c.last_message;
  const context = document.getElementById("context");
  context.replaceChildren();
  c.facts.forEach(([term, value]) => context.append(element("dt", {}, term), element("dd", {}, value)));
  // Only the transcript scrolls: keep the agent's place in it, or follow new lines if they were
  // at the end (or just opened the conversation).
  if (transcript.dataset.id !== c.id) following = true;
  const kept = transcript.scrollTop;
  transcript.replaceChildren(...c.lines.map(line));
  transcript.dataset.id = c.id;
  transcript.scrollTop = following ? transcript.scrollHeight : kept;
  const open = c.status === "waiting" || c.status === "active";
  document.querySelectorAll("#reply textarea, #reply button").forEach((b) => { b.disabled = !open; });
}

// The order's return photos: thumbnails under their slot's name, each a link to the full-size
// photo in a new tab; or why they can't be shown now. Nothing at all when there are none.
function drawPhotos(photos) {
  const drawn = JSON.stringify(photos);
  if (drawn === photosShown) return;
  photosShown = drawn;
  document.getElementById("photo-list").replaceChildren(...photos.photos.map((photo) => element("li", {},
    element("a", { href: photo.full, target: "_blank", rel: "noopener", "aria-label": photo.label },
      element("img", { src: photo.thumbnail, alt: "" }), element("span", {}, photo.name)))));
  document.getElementById("photos-note").textContent = photos.note || "";
  document.getElementById("photos").hidden = !photos.photos.length && !photos.note;
}

async function refreshPhotos(id) {
  photosOf = id;
  photosAskedAt = Date.now();
  try {
    const photos = await api(`/handoffs/${id}/photos`);
    if (id === current) drawPhotos(photos);
  } catch (error) {
    // The desk's own service didn't answer: refresh() says so; the photos drawn stay.
  }
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
    if (current && (current !== photosOf || Date.now() - photosAskedAt > PHOTOS_POLL_MS)) refreshPhotos(current);
  } catch (error) {
    document.getElementById("status").textContent = error.message;
  }
}

transcript.addEventListener("scroll", () => {
  following = transcript.scrollHeight - transcript.scrollTop - transcript.clientHeight < 40;
});
window.addEventListener("resize", () => { if (following) transcript.scrollTop = transcript.scrollHeight; });

document.getElementById("queue").addEventListener("click", (event) => {
  const link = event.target.closest("a[data-id]");
  if (!link) return;
  current = link.dataset.id;
  shown = "";
  drawPhotos({ photos: [], note: null }); // not the last conversation's while this one's are asked for
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

// The page's words are support's language (handoff/wording.yml, desk_page), as the service serves it.
api("/me").then((me) => {
  document.getElementById("me").textContent = document.body.dataset.loggedInAs.replace("{name}", me.name);
});
refresh();
setInterval(refresh, POLL_MS);
