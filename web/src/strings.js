// The widget's own words (the assistant's answers come from domain.yml on the server).
// Add a language by adding a block; `language` in the config picks it, English otherwise.

const STRINGS = {
  en: {
    title: "Customer support",
    subtitle: "Orders, shipping and returns",
    open: "Open chat",
    openUnread: (n) => `Open chat, ${n} unread ${n === 1 ? "message" : "messages"}`,
    close: "Close chat",
    placeholder: "Type your message…",
    inputLabel: "Your message",
    send: "Send",
    you: "You",
    assistant: "Assistant",
    typing: "The assistant is typing…",
    suggestions: "Suggested replies",
    humanButton: "Talk to a person",
    humanMessage: "I'd like to talk to a person",
    connecting: "Connecting…",
    reconnecting: "Connection lost. Reconnecting…",
    offline: "You're offline. Messages will be sent when you're back online.",
    reconnected: "Connected again.",
    waiting: "Waiting to send",
    greeting: "Hi! Ask me about your order, shipping or a return.",
    agentLabel: (name) => `${name}, support team`,
    personAnswering: (name) => `${name} from our support team is answering you.`,
  },
  fr: {
    title: "Service client",
    subtitle: "Commandes, livraison et retours",
    open: "Ouvrir le chat",
    openUnread: (n) => `Ouvrir le chat, ${n} ${n === 1 ? "message non lu" : "messages non lus"}`,
    close: "Fermer le chat",
    placeholder: "Écrivez votre message…",
    inputLabel: "Votre message",
    send: "Envoyer",
    you: "Vous",
    assistant: "Assistant",
    typing: "L'assistant écrit…",
    suggestions: "Réponses suggérées",
    humanButton: "Parler à une personne",
    humanMessage: "Je voudrais parler à une personne",
    connecting: "Connexion…",
    reconnecting: "Connexion perdue. Reconnexion…",
    offline: "Vous êtes hors ligne. Vos messages partiront dès le retour de la connexion.",
    reconnected: "Connexion rétablie.",
    waiting: "En attente d'envoi",
    greeting: "Bonjour ! Posez-moi vos questions sur une commande, la livraison ou un retour.",
    agentLabel: (name) => `${name}, service client`,
    personAnswering: (name) => `${name}, du service client, vous répond.`,
  },
};

export function stringsFor(language) {
  const base = String(language || "en").toLowerCase().split(/[-_]/)[0];
  return STRINGS[base] || STRINGS.en;
}
