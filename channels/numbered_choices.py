"""Buttons as numbered lines, for channels that can't show buttons (SMS, WhatsApp) or can't
show these ones (too many, titles too long).

The customer answers with the number or the title; language/choices.py maps that
reply back to the button's payload (any "1", "option 1", the title), so the numbers
must start at 1 in the order offered: the text, then "1. Title", "2. Title", one per line.
"""
from typing import Any, Dict, List, Text


def numbered_choices(text: Text, buttons: List[Dict[Text, Any]]) -> Text:
    lines = [text.rstrip()] if text and text.strip() else []
    lines += [f"{number}. {button.get('title', '')}" for number, button in enumerate(buttons, start=1)]
    return "\n".join(lines)
