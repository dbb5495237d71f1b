"""Agents' tools behind one interface (tools/base.py); HANDOFF_TOOL picks one."""
