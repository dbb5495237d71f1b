"""brand.yml read into the names responses use: {brand_name}, {brand_menu_<name>},
{brand_button_<name>}. Plain Python, no Rasa."""
from pathlib import Path
from typing import Dict, Union

import yaml

# What every profile names: domain.yml's responses use each of these.
MENUS = ("my_orders", "orders", "get_help", "order_details")
BUTTONS = ("ask_for_help", "contact_seller", "print_label")


class BrandProfileError(ValueError):
    """The profile is missing, unreadable or lacks a name responses need."""


def load(path: Union[str, Path]) -> Dict[str, str]:
    """The profile's names as response variables."""
    try:
        profile = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as error:
        raise BrandProfileError(f"brand profile {path}: {error}") from error
    names = {"brand_name": profile.get("name")}
    names.update({f"brand_menu_{key}": (profile.get("menus") or {}).get(key) for key in MENUS})
    names.update({f"brand_button_{key}": (profile.get("buttons") or {}).get(key) for key in BUTTONS})
    missing = sorted(key for key, value in names.items() if not isinstance(value, str) or not value.strip())
    if missing:
        raise BrandProfileError(f"brand profile {path} lacks: {', '.join(missing)}")
    return {key: value.strip() for key, value in names.items()}
