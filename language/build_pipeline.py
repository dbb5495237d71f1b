"""Builds the assistant's spaCy pipeline from language/entity_patterns.yml and the order-number
and e-mail forms every service shares (common/identifiers.py).

A blank English pipeline (no downloaded model) with:
- tokenizer rules that split order numbers glued to words ("order40512345", "#40512345");
- lookup lemmas from spacy-lookups-data, so "shipped"/"ships" and "labels" feed the
  same features as "ship" and "label";
- an entity ruler for order_id, email, carrier and device.

Rasa's SpacyNLP loads the result by path (config.yml). Run from the repository's root:
`python -m language.build_pipeline --out build/spacy-en` (make train does).
"""
import argparse
import shutil
from pathlib import Path

import spacy
import yaml
from spacy.util import compile_infix_regex, compile_prefix_regex

from common.identifiers import EMAIL, ORDER_NUMBER_FORM, ORDER_NUMBER_VALUE, whole

HERE = Path(__file__).parent


def _phrase(words: str, lower_key: str = "LOWER") -> list:
    return [{lower_key: w} for w in words.split()]


def _plural(word: str) -> str:
    return word + ("es" if word.endswith(("s", "x", "ch", "sh")) else "s")


def order_id_patterns() -> list:
    return [{"label": "order_id", "pattern": [{"TEXT": {"REGEX": ORDER_NUMBER_VALUE}}]}]


def email_patterns() -> list:
    return [{"label": "email", "pattern": [{"TEXT": {"REGEX": whole(EMAIL)}}]}]


def carrier_patterns(spec: dict) -> list:
    return [
        {"label": "carrier", "pattern": _phrase(variant.lower()), "id": canonical}
        for canonical, variants in spec.items()
        for variant in variants
    ]


def device_patterns(spec: dict) -> list:
    patterns = []
    for kind in spec["kinds"]:
        *head, last = kind.split()
        for form in (last, _plural(last)):
            patterns.append({"label": "device", "pattern": _phrase(" ".join(head + [form]))})
    model_word = {"LOWER": {"REGEX": spec["model_word"]}, "OP": "?"}
    not_alone = set(spec.get("not_alone", []))
    for product in spec["products"]:
        base = _phrase(product)
        if product in not_alone:
            # Needs a model word or a brand before it to count ("nintendo switch", "switch 2" aside).
            continue
        plural = base[:-1] + [{"LOWER": _plural(base[-1]["LOWER"])}]
        patterns.append({"label": "device", "pattern": base + [model_word] * 3})
        patterns.append({"label": "device", "pattern": plural})
    return patterns


def build(out: Path) -> None:
    spec = yaml.safe_load((HERE / "entity_patterns.yml").read_text())
    nlp = spacy.blank("en")

    # "#40512345" is already split by spaCy's prefixes; also split digits glued to letters.
    infixes = list(nlp.Defaults.infixes) + [rf"(?<=[A-Za-z])(?={ORDER_NUMBER_FORM}\b)"]
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    prefixes = list(nlp.Defaults.prefixes) + [r"#"]
    nlp.tokenizer.prefix_search = compile_prefix_regex(prefixes).search

    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "LOWER"})
    nlp.initialize()
    ruler.add_patterns(
        order_id_patterns()
        + email_patterns()
        + carrier_patterns(spec["carrier"])
        + device_patterns(spec["device"])
    )
    if out.exists():
        shutil.rmtree(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(out)
    print(f"spaCy pipeline written to {out} ({len(ruler.patterns)} entity patterns)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("build/spacy-en"))
    build(parser.parse_args().out)


if __name__ == "__main__":
    main()
