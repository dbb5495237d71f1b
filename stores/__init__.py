"""Where the Rasa server keeps conversations (endpoints.yml names the class; the Rasa server
runs with the project on PYTHONPATH)."""
