"""Locust users for `make bench` (tools/benchmark.py): customers holding whole conversations
over REST, one after another, each in a new conversation. BENCH_CONVERSATION picks which:
"ours" (this assistant: an order looked up and verified, its deadlines, return questions, the
checklist) or "init" (the bot `rasa init` makes)."""
import os
import uuid

from locust import FastHttpUser, constant, task

CONVERSATIONS = {
    # 8 turns; 4 of them look the order up in the backend.
    "ours": ["where is my order 40512351", "ana.martin@example.com", "when will it ship?",
             "how long is the return label valid?", "what do I need to do before sending it back?", "next",
             "which carrier do I use?", "thanks"],
    "init": ["hi", "I'm feeling sad", "yes", "are you a bot?", "great", "bye", "hello", "I am happy"],
}
TURNS = CONVERSATIONS[os.environ.get("BENCH_CONVERSATION", "ours")]
# With BENCH_CONVERSATIONS=N the run ends once N conversations are done (the soak test).
LIMIT = int(os.environ.get("BENCH_CONVERSATIONS") or 0)
done = 0


class Customer(FastHttpUser):
    wait_time = constant(0)  # a closed loop: the next message as soon as the answer is in

    @task
    def conversation(self) -> None:
        sender = uuid.uuid4().hex
        for text in TURNS:
            # X-Conversation-Id: nginx keeps the conversation on one replica (scaled setup).
            with self.client.post("/webhooks/rest/webhook", json={"sender": sender, "message": text},
                                  headers={"X-Conversation-Id": sender}, name="turn", catch_response=True) as reply:
                if reply.status_code != 200:
                    reply.failure(f"HTTP {reply.status_code}")
                elif not reply.json():
                    reply.failure("no answer")
        global done
        done += 1
        if LIMIT and done >= LIMIT:
            self.environment.runner.quit()
