"""Rasa actions: thin adapters between the tracker and the domain modules."""
