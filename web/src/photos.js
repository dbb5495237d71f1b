// The return checklist's photo card: one tile a photo the step asks for (step 1's six sides
// and the screen on, step 5's package), each filled from the camera or a file, uploaded
// straight to the order backend through its own signed link, and shown with its state.
// The assistant says the verdict in the conversation's language: after each upload the widget
// sends it /photo_received{...} (actions/dialogue/photos.py), not shown as a message, and its
// answer shows on the card (a question with buttons, such as "go on to step 2?", as a message).

export const SLOTS = ["front", "back", "left", "right", "top", "bottom", "screen_on", "package"];
// What the backend takes (backend/photo_checks.yml): a larger file isn't even sent.
export const MAX_BYTES = 15 * 1024 * 1024;
const KINDS = "image/jpeg,image/png,image/webp,image/heic,image/heif";
const ICONS = {
  camera: "M12 15.2a3.2 3.2 0 1 0 0-6.4 3.2 3.2 0 0 0 0 6.4zM9 2 7.17 4H4a2 2 0 0 0-2 2v12a2 2 0 0 0 2 2h16a2 2 0 0 0 2-2V6a2 2 0 0 0-2-2h-3.17L15 2H9zm3 15a5 5 0 1 1 0-10 5 5 0 0 1 0 10z",
  file: "M21 19V5a2 2 0 0 0-2-2H5a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h14a2 2 0 0 0 2-2zM8.5 13.5l2.5 3 3.5-4.5 4.5 6H5l3.5-4.5z",
};

// The card's links (the photo_links slot, JSON), kept only if well formed.
export function photoCardOf(raw) {
  let links;
  try {
    links = JSON.parse(typeof raw.links === "string" ? raw.links : "null");
  } catch (error) {
    return null;
  }
  if (!links || !Array.isArray(links.slots) || !/^\d{8}$/.test(String(links.order))) return null;
  const slots = links.slots
    .filter((s) => s && SLOTS.includes(s.slot) && /^https?:\/\//i.test(String(s.url)))
    // taken: the backend holds a photo for it; attempt: the latest upload's "checking" or refusal.
    .map((s) => ({ slot: s.slot, url: s.url, taken: Boolean(s.taken), attempt: null }));
  return slots.length ? { type: "photos", order: String(links.order), slots } : null;
}

// What an upload's answer means, as the assistant's photo_check values say it.
export function verdictOf(status, body) {
  if (status === 201) return "accepted";
  if (status === 422 && body && typeof body.reason === "string") return body.reason;
  return { 403: "link_expired", 413: "too_large", 429: "too_many" }[status] || "unavailable";
}

export async function upload(slot, file) {
  if (file.size > MAX_BYTES) return "too_large";
  try {
    const response = await fetch(slot.url, {
      method: "PUT", body: file, mode: "cors", credentials: "omit",
      headers: { "Content-Type": file.type || "application/octet-stream" },
    });
    const body = await response.json().catch(() => null);
    return verdictOf(response.status, body);
  } catch (error) {
    return "unavailable"; // offline, or the backend unreachable
  }
}

// The card itself: a row a photo, its thumbnail, its name and state, and two round buttons (the
// camera, a file), named for screen readers and shown by their icons. `live`: the conversation's
// latest photo card (older ones only show what was taken); `onFile(slot, file)` uploads a photo.
export function renderPhotoCard(doc, el, svg, t, card, { live, onFile }) {
  const taken = card.slots.filter((s) => s.taken).length;
  const node = el(doc, "div", { className: `card photos${live ? "" : " stale"}` },
    el(doc, "p", { className: "card-title", text: t.photos.title }),
    el(doc, "p", { className: "card-subtitle photos-progress", role: "status",
      text: t.photos.progress(taken, card.slots.length) }));
  // The assistant's word on the latest photo, here rather than as a message: the card stays in
  // view while the customer goes from one photo to the next.
  if (card.note) {
    node.append(el(doc, "p", { className: "photo-note", role: "status", "data-notes": String(card.notes || 0),
      text: card.note }));
  }
  const list = el(doc, "ul", { className: "photo-slots", "aria-label": t.photos.title });
  for (const slot of card.slots) {
    const name = t.photos.slots[slot.slot];
    const state = slot.attempt === "checking" ? "checking" : slot.attempt ? "refused" : slot.taken ? "taken" : "empty";
    const picture = slot.preview || (slot.taken ? `${slot.url}&size=thumb` : ""); // the backend's 320 px copy
    const thumb = picture
      ? el(doc, "img", { className: "photo-thumb", src: picture, alt: t.photos.thumbAlt(name),
        onerror: (event) => event.target.replaceWith(el(doc, "span", { className: "photo-thumb empty", "aria-hidden": "true" })) })
      : el(doc, "span", { className: "photo-thumb empty", "aria-hidden": "true" });
    const status = state === "taken" ? t.photos.taken : state === "checking" ? t.photos.checking
      : state === "refused" ? (t.photos.refused[slot.attempt] || t.photos.refused.unavailable) : t.photos.missing;
    const tile = el(doc, "li", { className: `photo-slot ${state}`, "data-slot": slot.slot },
      thumb,
      el(doc, "span", { className: "photo-name", text: name }),
      el(doc, "span", { className: "photo-state", text: status }));
    if (live && state !== "checking") {
      const filled = slot.taken;
      const camera = filled ? t.photos.retake : t.photos.takePhoto;
      tile.append(el(doc, "span", { className: "photo-buttons" },
        pickButton(doc, el, svg(doc, ICONS.camera), `${camera}: ${name}`, "environment", (file) => onFile(slot, file)),
        pickButton(doc, el, svg(doc, ICONS.file), `${t.photos.chooseFile}: ${name}`, null, (file) => onFile(slot, file))));
    }
    list.append(tile);
  }
  node.append(list);
  if (!live) node.append(el(doc, "p", { className: "card-detail", text: t.photos.newerCard }));
  return node;
}

// A button that opens the camera (capture) or the file picker; on a computer both pick a file.
function pickButton(doc, el, icon, label, capture, chosen) {
  const input = el(doc, "input", { type: "file", accept: KINDS, capture, className: "visually-hidden", tabindex: "-1",
    "aria-hidden": "true",
    onchange: () => { const file = input.files && input.files[0]; input.value = ""; if (file) chosen(file); } });
  return el(doc, "span", {},
    el(doc, "button", { type: "button", className: `photo-pick${capture ? " camera" : ""}`, "aria-label": label,
      title: label, onclick: () => input.click() }, icon),
    input);
}
