"""Run in the Rasa server's virtualenv (scikit-learn) by tests/test_stored_models.py: fits a
small classifier, stores, restores and lays it out for prediction, and prints what each
predicts as JSON."""
import json
import sys
import tempfile
from pathlib import Path

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from language import stored_models

TEXTS = ["where is my order", "où est ma commande", "wo ist mein Paket", "dónde está mi pedido",
         "dov'è il mio ordine", "return label please", "étiquette de retour", "Rücksendeetikett"]
LABELS = ["track"] * 5 + ["label"] * 3
ASKED = ["mon étiquette ?", "Paket wo", "where's my label"]


def vectorizer() -> TfidfVectorizer:
    return TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 3))


def main() -> None:
    words = vectorizer().fit(TEXTS)
    fitted = LogisticRegression(C=10, max_iter=1000).fit(words.transform(TEXTS), LABELS)
    with tempfile.TemporaryDirectory() as directory:
        stored_models.save(Path(directory), "model", words, fitted)
        restored_words, restored = stored_models.restore(Path(directory), "model", vectorizer(), C=10)
    fitted_then = fitted.predict_proba(words.transform(ASKED)).tolist()
    stored_models.for_prediction(fitted)
    json.dump({"fitted": fitted_then,
               "laid_out": fitted.predict_proba(words.transform(ASKED)).tolist(),
               "restored": restored.predict_proba(restored_words.transform(ASKED)).tolist(),
               "classes": [str(c) for c in restored.classes_],
               "used_in_place": bool(restored.coef_.T.flags["C_CONTIGUOUS"])}, sys.stdout)


if __name__ == "__main__":
    main()
