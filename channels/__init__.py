"""Input channels for the Rasa server, named in credentials.yml (the Rasa server runs with
the project on PYTHONPATH). Each module is a thin subclass of one of Rasa's connectors."""
