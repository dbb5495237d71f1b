"""Input channels for the Rasa server, named in credentials.yml (the Rasa server runs with
the project on PYTHONPATH). Each module is a thin subclass of one of Rasa's connectors."""

# Rasa imports this package before it serves anything: the fixes to Rasa's own code that the
# server needs are installed here (rasa_fixes/).
from rasa_fixes import action_results  # noqa: E402

action_results.install()
