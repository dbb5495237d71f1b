"""rasa_fixes/action_results.py: the same check as Rasa's, without rebuilding it on every call."""
import jsonschema
import pytest

from rasa_fixes.action_results import checker

# The shape of RemoteAction.action_response_format_spec() (Rasa 3.6).
SCHEMA = {
    "type": "object",
    "properties": {
        "events": {"type": "array", "items": {"type": "object", "properties": {"event": {"type": "string"}}}},
        "responses": {"type": "array", "items": {"type": "object"}},
    },
}
GOOD = {"events": [{"event": "slot", "name": "order_id", "value": "40512351"}], "responses": []}
BAD = {"events": [{"event": 42}], "responses": "not a list"}


def test_a_valid_answer_passes_and_an_invalid_one_fails_as_with_jsonschema_validate():
    check = checker(SCHEMA)
    assert check(GOOD) is True
    jsonschema.validate(GOOD, SCHEMA)
    with pytest.raises(jsonschema.ValidationError) as ours:
        check(BAD)
    with pytest.raises(jsonschema.ValidationError) as theirs:
        jsonschema.validate(BAD, SCHEMA)
    assert ours.value.message.startswith(theirs.value.message)  # the same error, with Rasa's hint
    assert "custom-actions" in ours.value.message


def test_the_schema_is_checked_once_not_on_every_call(monkeypatch):
    validator = jsonschema.validators.validator_for(SCHEMA)
    checks = []
    original = validator.check_schema.__func__
    monkeypatch.setattr(validator, "check_schema", classmethod(lambda cls, schema: checks.append(1) or original(cls, schema)))
    check = checker(SCHEMA)
    for _ in range(5):
        check(GOOD)
    assert len(checks) == 1
    # What Rasa 3.6 does (jsonschema.validate per call) checks it every time: the cost removed.
    for _ in range(5):
        jsonschema.validate(GOOD, SCHEMA)
    assert len(checks) == 6
