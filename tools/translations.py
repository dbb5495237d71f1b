"""`make translations`: the assistant's English sentences into locale/messages.pot, merged into
every language's catalog (translations/catalogs.py says what is translated and how).

    python -m tools.translations          # extract and update every catalog
    python -m tools.translations --check  # exit 1 naming what is missing (tests do the same)
"""
import argparse
import sys
from typing import Dict, List, Tuple

import yaml
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from language.languages import load as load_languages
from translations.catalogs import ROOT, TEMPLATE, catalog_path, placeholders, sentences_of, worded

DOMAIN = ROOT / "domain.yml"
LIMITS = ROOT / "channels" / "limits.yml"
DEVICE_ACCOUNTS = ROOT / "actions" / "device_accounts.yml"


def english_sentences() -> Dict[str, List[str]]:
    """Every sentence to translate, with where it is used ("domain.yml: utter_greet")."""
    found: Dict[str, List[str]] = {}
    responses = yaml.safe_load(DOMAIN.read_text())["responses"]
    for name, variations in responses.items():
        for variation in variations:
            for sentence in sentences_of(variation):
                found.setdefault(sentence, []).append(f"domain.yml: {name}")
    for key, value in yaml.safe_load(LIMITS.read_text()).items():
        if worded(value):
            found.setdefault(value, []).append(f"channels/limits.yml: {key}")
    for rule in yaml.safe_load(DEVICE_ACCOUNTS.read_text())["accounts"]:
        if rule["account"]:
            found.setdefault(rule["account"], []).append("actions/device_accounts.yml: the account to sign out of")
    return found


def template() -> Catalog:
    catalog = Catalog(project="refurb-support-assistant", charset="utf-8", fuzzy=False)
    for sentence, uses in english_sentences().items():
        catalog.add(sentence, auto_comments=sorted(set(uses)))
    return catalog


def update(code: str, pot: Catalog) -> Tuple[int, int]:
    path = catalog_path(code)
    if path.exists():
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=code)
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        catalog = Catalog(locale=code, project=pot.project, charset="utf-8", fuzzy=False)
    catalog.update(pot, no_fuzzy_matching=False)
    with path.open("wb") as handle:
        write_po(handle, catalog, width=100, omit_header=False, ignore_obsolete=True)
    untranslated = sum(1 for m in catalog if m.id and (not m.string or m.fuzzy))
    return len([m for m in catalog if m.id]), untranslated


def problems(code: str) -> List[str]:
    """What the language's catalog lacks or gets wrong, for every English sentence."""
    path = catalog_path(code)
    if not path.exists():
        return [f"{path.relative_to(ROOT)} is missing: run `make translations`"]
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=code)
    by_id = {m.id: m for m in catalog if m.id}
    found = []
    for sentence in english_sentences():
        message = by_id.get(sentence)
        if message is None or not message.string:
            found.append(f"{code}: not translated: {sentence!r}")
        elif message.fuzzy:
            found.append(f"{code}: fuzzy (the English changed): {sentence!r}")
        elif placeholders(message.string) != placeholders(sentence):
            found.append(f"{code}: other placeholders in {message.string!r} than in {sentence!r}")
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report what is missing")
    args = parser.parse_args()
    codes = [code for code in load_languages().codes if code != "en"]
    if args.check:
        found = [problem for code in codes for problem in problems(code)]
        print("\n".join(found) or "every sentence is translated in " + ", ".join(codes))
        return 1 if found else 0
    pot = template()
    TEMPLATE.parent.mkdir(parents=True, exist_ok=True)
    with TEMPLATE.open("wb") as handle:
        write_po(handle, pot, width=100)
    print(f"{TEMPLATE.relative_to(ROOT)}: {len(pot)} sentences")
    for code in codes:
        total, untranslated = update(code, pot)
        print(f"{catalog_path(code).relative_to(ROOT)}: {total} sentences, {untranslated} to translate")
    return 0


if __name__ == "__main__":
    sys.exit(main())
