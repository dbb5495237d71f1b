"""The marketplace's brand profile (brand.yml, or the file BRAND_PROFILE names), read and
checked in one place for the three readers: the answers' names ({brand_name}, ...), support's
hours and calendar (the action server) and the widget's welcome (the website channel).
Plain Python, no Rasa."""
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional, Union
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

# BRAND_PROFILE is read here only; the example profile is the default.
PROFILE_ENV = "BRAND_PROFILE"
DEFAULT_PROFILE = Path(__file__).resolve().parent.parent / "brand.yml"

# What every profile names: domain.yml's responses use each of these.
MENUS = ("my_orders", "orders", "get_help", "order_details")
BUTTONS = ("ask_for_help", "contact_seller", "print_label")
HELP_CENTRE = ("home", "delivery", "returns")
DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MAX_SUGGESTED_TOPICS = 4


class BrandProfileError(ValueError):
    """The profile is missing, unreadable or lacks something the assistant needs."""


@dataclass(frozen=True)
class Support:
    timezone: str
    holidays: str  # a country code of the `holidays` package
    hours: Dict[str, str]  # weekday name -> "09:00-18:00"
    expected_wait_minutes: int


@dataclass(frozen=True)
class Profile:
    names: Dict[str, str]  # response variables: brand_name, brand_menu_*, brand_button_*, ...
    support: Support
    welcome: Dict[str, Any]  # what the widget shows first (website channel)


def profile_path() -> Path:
    return Path(os.environ.get(PROFILE_ENV) or DEFAULT_PROFILE)


def _text(value: Any) -> Optional[str]:
    return value.strip() if isinstance(value, str) and value.strip() else None


def translation_path(path: Path, language: str) -> Path:
    """A profile's words in another language: brand.yml's in brand.fr.yml, beside it."""
    return path.with_name(f"{path.stem}.{language}{path.suffix}")


def _mapping(path: Path) -> Dict[str, Any]:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as error:
        raise BrandProfileError(f"brand profile {path}: {error}") from error
    if not isinstance(raw, dict):
        raise BrandProfileError(f"brand profile {path}: expected a mapping of settings")
    return raw


def _overridden(base: Dict[str, Any], words: Dict[str, Any]) -> Dict[str, Any]:
    """The profile with a language's words in place of English's, section by section."""
    merged = dict(base)
    for key, value in words.items():
        merged[key] = {**base[key], **value} if isinstance(value, dict) and isinstance(base.get(key), dict) else value
    return merged


def read(path: Union[str, Path, None] = None, language: Optional[str] = None) -> Profile:
    """The profile at `path` (default: profile_path()), in `language` when it has a file of
    words in it (brand.fr.yml: the website's menus and buttons as that country's site names
    them, the widget's greeting and topics), with every problem named at once."""
    path = Path(path) if path else profile_path()
    raw = _mapping(path)
    if language and translation_path(path, language).exists():
        raw = _overridden(raw, _mapping(translation_path(path, language)))
    problems: List[str] = []

    def section(name: str) -> Dict[str, Any]:
        value = raw.get(name) or {}
        return value if isinstance(value, dict) else {}

    def required(value: Any, key: str) -> str:
        text = _text(value)
        if text is None:
            problems.append(key)
        return text or ""

    assistant = section("assistant")
    names = {"brand_name": required(raw.get("name"), "name"),
             "brand_assistant": required(assistant.get("name"), "assistant.name")}
    names.update({f"brand_menu_{key}": required(section("menus").get(key), f"menus.{key}") for key in MENUS})
    names.update({f"brand_button_{key}": required(section("buttons").get(key), f"buttons.{key}") for key in BUTTONS})
    names.update({f"brand_help_{key}": required(section("help_centre").get(key), f"help_centre.{key}")
                  for key in HELP_CENTRE})

    support = _support(section("support"), problems)
    welcome = _welcome(section("widget"), names, _text(assistant.get("avatar")), problems)
    if problems:
        raise BrandProfileError(f"brand profile {path} lacks or misstates: {', '.join(problems)}")
    return Profile(names, support, welcome)


def load(path: Union[str, Path, None] = None, language: Optional[str] = None) -> Dict[str, str]:
    """The profile's names as response variables, in `language` where it has them."""
    return read(path, language).names


def _support(raw: Dict[str, Any], problems: List[str]) -> Support:
    zone = _text(raw.get("timezone")) or ""
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        problems.append("support.timezone")
    hours = raw.get("hours") if isinstance(raw.get("hours"), dict) else {}
    if not hours or any(str(day).lower() not in DAYS or not isinstance(span, str) or "-" not in span
                        for day, span in hours.items()):
        problems.append("support.hours")
    wait = raw.get("expected_wait_minutes")
    if not isinstance(wait, int) or wait < 1:
        problems.append("support.expected_wait_minutes")
    holidays = _text(raw.get("holidays"))
    if holidays is None:
        problems.append("support.holidays")
    return Support(zone, holidays or "", {str(day).lower(): span for day, span in hours.items()}, wait or 0)


def _welcome(raw: Dict[str, Any], names: Dict[str, str], avatar: Optional[str],
             problems: List[str]) -> Dict[str, Any]:
    fill = {"name": names["brand_name"], "assistant": names["brand_assistant"]}
    topics = raw.get("suggested_topics") if isinstance(raw.get("suggested_topics"), list) else []
    chosen = [{"title": topic["title"].strip(), "payload": topic["payload"].strip()} for topic in topics
              if isinstance(topic, dict) and _text(topic.get("title")) and _text(topic.get("payload"))
              and topic["payload"].strip().startswith("/")]
    if not chosen or len(chosen) != len(topics) or len(chosen) > MAX_SUGGESTED_TOPICS:
        problems.append(f"widget.suggested_topics (1 to {MAX_SUGGESTED_TOPICS}, each a title and a /payload)")
    if avatar is not None and not avatar.startswith("https://"):
        problems.append("assistant.avatar (an https URL, or empty)")
    greeting, title = _text(raw.get("greeting")), _text(raw.get("title"))
    if greeting is None:
        problems.append("widget.greeting")
    return {
        "title": (title or "{name}").format(**fill),
        "greeting": (greeting or "").format(**fill),
        "assistant": {"name": names["brand_assistant"], "avatar": avatar if avatar else None},
        "topics": chosen,
        "help_centre": names["brand_help_home"],
    }
