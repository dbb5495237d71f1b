// Entry point of web/dist/support-chat.js. A page embeds the widget with one tag, after
// its settings:
//   <script>window.supportChat = { serverUrl: "https://assistant.example.com" };</script>
//   <script src="https://assistant.example.com/widget/support-chat.js" async></script>
// or calls SupportChat.init({...}) itself (single-page apps).
import { ChatWidget } from "./widget.js";

let widget = null;

export function init(config = {}) {
  if (widget) return widget;
  const start = () => { widget = new ChatWidget(config).mount(); };
  if (document.body) start();
  else document.addEventListener("DOMContentLoaded", start, { once: true });
  return widget;
}

export function open() { widget?.open(); }
export function close() { widget?.close(); }

if (typeof window !== "undefined") {
  window.SupportChat = { init, open, close };
  if (window.supportChat && typeof window.supportChat === "object") init(window.supportChat);
}
