"""The marketplace's brand profile (brand.yml) and the Rasa server's responses that use it."""
