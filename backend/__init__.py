"""The reference order backend: the HTTP contract a real marketplace deployment implements.

A separate service with its own dependencies (requirements/backend.txt); the assistant's
actions reach it only over HTTP (actions/orders_client.py).
"""
