"""Small, documented fixes to Rasa 3.6's own code, each with a test that fails on Rasa's
behaviour. Installed in the Rasa server by channels/__init__.py (Rasa imports that package
for every channel in credentials.yml, before it serves anything)."""
