"""`make bench` (widget part): what a customer waits in the browser, from pressing Enter in
the chat widget to the answer on screen, over socket.io, in Debian's headless Chromium.

Runs in the action server's virtualenv (Playwright lives there), on its own scratch
assistant; writes the figures to a JSON file.
"""
import argparse
import json
import statistics
import time
from pathlib import Path

from tools.services import scratch_assistant

# A realistic mix: FAQ answers, custom actions (checklist, carrier, clarification), chit-chat.
CONVERSATION = [
    "hi", "where is my parcel?", "when will my iphone 12 ship", "i want to return my macbook",
    "where do i get the return label", "no", "what do i need to do before sending it back", "ok", "ok",
    "can ups pick it up from my house", "how long is the label valid", "blorp the order thing", "thanks", "bye",
]


def percentile(values, pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def measure(shop_url: str, rounds: int) -> dict:
    from playwright.sync_api import sync_playwright

    waits = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page()
        started = time.monotonic()
        page.goto(f"{shop_url}/")
        page.locator("#support-chat .launcher").click()
        page.wait_for_selector("#support-chat .root[data-connection=online]", state="attached")
        load_s = time.monotonic() - started
        bot = page.locator("#support-chat .message.bot")
        for turn in range(rounds):
            for message in CONVERSATION:
                before = bot.count()
                page.locator("#support-chat textarea").fill(message)
                sent = time.monotonic()
                page.locator("#support-chat textarea").press("Enter")
                bot.nth(before).wait_for()
                waits.append(time.monotonic() - sent)
                page.wait_for_timeout(150)  # let a multi-message answer finish
        browser.close()
    ms = [1000 * w for w in waits]
    return {"turns": len(ms), "median_ms": round(statistics.median(ms), 1), "p95_ms": round(percentile(ms, 95), 1),
            "page_load_to_connected_ms": round(1000 * load_s)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with scratch_assistant() as running:
        figures = {"widget_enter_to_answer": measure(running.shop_url, args.rounds)}
    print(json.dumps(figures, indent=2))
    args.out.write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()
